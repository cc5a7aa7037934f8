//! Files people put on the platform: pictures for articles (JPEG, PNG, GIF) and PDF
//! documents (事例集, 資料). A file is taken for what its bytes are, never for its name: an
//! HTML page renamed .png or an SVG (which can carry script) is refused. Pictures lose
//! their metadata (EXIF with the camera and the place it was taken, comments) before they
//! are kept. Names are cut to their last part and cleaned, with the extension of what the
//! file is. Stored in the database, so every instance serves the same files. Types and
//! checks here; SQL in `store.rs`; upload and serving in `web.rs`.

pub mod store;
pub mod web;

/// A stored file's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct FileId(pub i64);

/// The largest file taken (under the server's request limit).
pub const MAX_BYTES: usize = 7 * 1024 * 1024;

/// What a file is, by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Jpeg,
    Png,
    Gif,
    Pdf,
}

crate::text_code!(Kind { Jpeg = "jpeg", Png = "png", Gif = "gif", Pdf = "pdf" });

impl Kind {
    /// The kind the bytes say, if it is one the platform takes.
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Kind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Kind::Gif)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Kind::Pdf)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Gif => "image/gif",
            Kind::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Gif => "gif",
            Kind::Pdf => "pdf",
        }
    }

    /// Pictures are shown in pages; anything else is only downloaded.
    pub fn is_image(self) -> bool {
        self != Kind::Pdf
    }
}

/// Why a file is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    Empty,
    TooLarge,
    /// Not a picture or PDF the platform takes (by its bytes).
    NotAllowed,
    /// It says it is a picture but its structure is broken.
    Broken,
}

impl Refused {
    /// The Fluent id of the message.
    pub fn message(self) -> &'static str {
        match self {
            Refused::Empty => "file-error-empty",
            Refused::TooLarge => "file-error-too-large",
            Refused::NotAllowed => "file-error-kind",
            Refused::Broken => "file-error-broken",
        }
    }
}

/// A file checked and cleaned, ready to keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub kind: Kind,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Checks a file by its bytes and cleans it: metadata out of pictures, a harmless name.
///
/// # Errors
/// Why it is refused.
pub fn check(name: &str, bytes: &[u8]) -> Result<Checked, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refused::TooLarge);
    }
    let kind = Kind::sniff(bytes).ok_or(Refused::NotAllowed)?;
    let bytes = match kind {
        Kind::Jpeg => strip_jpeg(bytes).ok_or(Refused::Broken)?,
        Kind::Png => strip_png(bytes).ok_or(Refused::Broken)?,
        Kind::Gif | Kind::Pdf => bytes.to_vec(),
    };
    Ok(Checked { kind, name: clean_name(name, kind), bytes })
}

/// A name that is safe to show and to offer for saving: its last path part, without
/// control characters or characters file systems treat specially, at most 80 characters,
/// ending with the extension of what the file is.
pub fn clean_name(name: &str, kind: Kind) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match last.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => last,
    };
    let cleaned: String = stem
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
        })
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '（' | '）' | '・') { c } else { '_' })
        .collect();
    let cleaned = cleaned.trim_matches(['_', '.']);
    let stem: String = cleaned.chars().take(80).collect();
    let stem = if stem.is_empty() { "file".to_owned() } else { stem };
    format!("{stem}.{}", kind.extension())
}

/// A JPEG without its metadata segments (APP1–APP15: EXIF, XMP, colour profiles and the
/// like; COM comments). `None` if the segments are broken.
fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut i = 2;
    loop {
        if i + 4 > bytes.len() || bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        // Start of scan: the picture itself follows, to the end.
        if marker == 0xDA {
            out.extend_from_slice(&bytes[i..]);
            return Some(out);
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if len < 2 || i + 2 + len > bytes.len() {
            return None;
        }
        let metadata = matches!(marker, 0xE1..=0xEF | 0xFE);
        if !metadata {
            out.extend_from_slice(&bytes[i..i + 2 + len]);
        }
        i += 2 + len;
    }
}

/// A PNG without its text, time and EXIF chunks. `None` if the chunks are broken.
fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..8]);
    let mut i = 8;
    while i < bytes.len() {
        if i + 12 > bytes.len() {
            return None;
        }
        let len = u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
        let end = i.checked_add(12)?.checked_add(len)?;
        if end > bytes.len() {
            return None;
        }
        let kind = &bytes[i + 4..i + 8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            break;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny JPEG's structure: SOI, APP0 (JFIF), APP1 (EXIF with a place), COM, SOS, EOI.
    fn jpeg_with_exif() -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        b.extend([0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0x00]);
        let exif = b"Exif\0\0GPS 38.26N 140.87E";
        b.extend([0xFF, 0xE1]);
        b.extend(((exif.len() + 2) as u16).to_be_bytes());
        b.extend(exif);
        b.extend([0xFF, 0xFE, 0x00, 0x06, b'h', b'i', b'!', b'!']);
        b.extend([0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]);
        b
    }

    #[test]
    fn pictures_lose_their_metadata() {
        let checked = check("IMG_0001.JPG", &jpeg_with_exif()).unwrap();
        assert_eq!(checked.kind, Kind::Jpeg);
        let text = String::from_utf8_lossy(&checked.bytes);
        assert!(!text.contains("GPS") && !text.contains("hi!!"), "{text}");
        assert!(text.contains("JFIF"));
        assert!(checked.bytes.ends_with(&[0xFF, 0xD9]));

        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [(&b"IHDR"[..], &b"0123456789abc"[..]), (b"tEXt", b"Author\0me"), (b"IEND", b"")] {
            png.extend((data.len() as u32).to_be_bytes());
            png.extend(kind);
            png.extend(data);
            png.extend([0, 0, 0, 0]);
        }
        let checked = check("a.png", &png).unwrap();
        assert!(!String::from_utf8_lossy(&checked.bytes).contains("Author"));
        assert!(String::from_utf8_lossy(&checked.bytes).contains("IEND"));
    }

    #[test]
    fn files_are_taken_for_what_they_are() {
        assert_eq!(check("page.png", b"<html><script>alert(1)</script>").unwrap_err(), Refused::NotAllowed);
        assert_eq!(check("logo.svg", b"<svg onload=\"alert(1)\"/>").unwrap_err(), Refused::NotAllowed);
        assert_eq!(check("x.png", b"").unwrap_err(), Refused::Empty);
        assert_eq!(check("big.pdf", &vec![b'%'; MAX_BYTES + 1]).unwrap_err(), Refused::TooLarge);
        assert_eq!(check("cut.jpg", &[0xFF, 0xD8, 0xFF, 0xE1, 0xFF]).unwrap_err(), Refused::Broken);
        let pdf = check("事例集.exe", b"%PDF-1.7\n...").unwrap();
        assert_eq!((pdf.kind, pdf.name.as_str()), (Kind::Pdf, "事例集.pdf"));
    }

    #[test]
    fn names_are_made_harmless() {
        assert_eq!(clean_name("../../etc/passwd", Kind::Png), "passwd.png");
        assert_eq!(clean_name("C:\\Users\\me\\報告 2023.jpeg", Kind::Jpeg), "報告_2023.jpg");
        assert_eq!(clean_name("a\u{202e}gnp.exe", Kind::Png), "agnp.png");
        assert_eq!(clean_name("<script>.gif", Kind::Gif), "script.gif");
        assert_eq!(clean_name("...", Kind::Pdf), "file.pdf");
    }
}

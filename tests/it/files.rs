//! Files (issue 16): pictures and PDFs taken for what their bytes are, pictures without
//! their metadata, names made harmless, served with `nosniff` and anything but a picture
//! as a download; only the secretariat uploads.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(uploads_are_checked_cleaned_and_served_safely);

/// A JPEG's structure with an EXIF segment naming a place.
fn jpeg_with_place() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0x00];
    let exif = b"Exif\0\0GPSLatitude 38.26";
    b.extend([0xFF, 0xE1]);
    b.extend(((exif.len() + 2) as u16).to_be_bytes());
    b.extend(exif);
    b.extend([0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]);
    b
}

async fn upload(b: &Browser, bytes: Vec<u8>, name: &str, mime: &str) -> crate::support::Page {
    let page = b.get("/admin/files").await;
    let action = page.html().attr("form[enctype]", "action").expect("upload form");
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).unwrap();
    b.post_multipart(&action, reqwest::multipart::Form::new().part("file", part)).await
}

async fn uploads_are_checked_cleaned_and_served_safely(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;

    // A photo from a phone: kept without where it was taken, under a harmless name.
    let sent = upload(&office, jpeg_with_place(), "../../写真 2023.JPG", "image/jpeg").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let list = office.get("/admin/files").await.html();
    let url = list.attr("tbody td a", "href").unwrap();
    assert!(url.ends_with("/写真_2023.jpg") || url.ends_with("/%E5%86%99%E7%9C%9F_2023.jpg"), "{url}");
    assert!(list.text("tbody code").unwrap().starts_with("![写真_2023.jpg](/files/"));
    let visitor = server.browser();
    let res = reqwest::Client::new().get(format!("http://{}{}", server.addr, url)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("inline"));
    let bytes = res.bytes().await.unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains("GPS"), "the place is gone");
    assert!(bytes.starts_with(&[0xFF, 0xD8]));

    // A PDF is only downloaded.
    assert_eq!(
        upload(&office, b"%PDF-1.7\n%...".to_vec(), "事例集.pdf", "application/pdf").await.status,
        StatusCode::SEE_OTHER
    );
    let list = office.get("/admin/files").await.html();
    let pdf = list.attrs("tbody td a", "href").into_iter().find(|h| h.ends_with(".pdf")).unwrap();
    let res = reqwest::Client::new().get(format!("http://{}{}", server.addr, pdf)).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename*=UTF-8''"));

    // Refused for what they are, whatever their names say; nothing kept.
    for (bytes, name, mime) in [
        (b"<html><script>alert(1)</script></html>".to_vec(), "photo.png", "image/png"),
        (b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(), "logo.svg", "image/svg+xml"),
        (Vec::new(), "empty.jpg", "image/jpeg"),
    ] {
        let refused = upload(&office, bytes, name, mime).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(refused.html().text("#file-error").is_some(), "{name}");
    }
    // A huge file is refused before it is read to the end.
    let huge = upload(&office, vec![0xFF; 9 * 1024 * 1024], "huge.jpg", "image/jpeg").await;
    assert!(matches!(huge.status, StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNPROCESSABLE_ENTITY), "{}", huge.status);
    assert_eq!(office.get("/admin/files").await.html().count("tbody tr"), 2);

    // Members do not upload; another center does not see the files.
    server.create_account("member@example.jp", "member password", "会員 さん", Role::Member).await;
    let member = server.browser();
    member.log_in("member@example.jp", "member password").await;
    assert_eq!(member.get("/admin/files").await.status, StatusCode::FORBIDDEN);
    server.add_tenant("kyoto", "京都", "kyoto.localhost").await;
    let other = server.browser_at("kyoto.localhost");
    assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(visitor.get("/files/999999/x.png").await.status, StatusCode::NOT_FOUND);
}

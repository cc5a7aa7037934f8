//! Uploading files (the secretariat, `/admin/files`) and serving them (`/files/ID/NAME`):
//! pictures shown in pages, anything else only downloaded; never sniffed by the browser.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::{FileId, store};
use crate::web::{Admin, AppResult, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/files", get(index).post(upload)).route("/files/{id}/{name}", get(serve))
}

#[derive(Template)]
#[template(path = "file/index.html")]
pub struct FilesPage {
    pub ctx: Ctx,
    pub files: Vec<store::Listed>,
    /// Why the last upload was refused (a Fluent id).
    pub refused: Option<&'static str>,
}

async fn page(ctx: Ctx, st: &AppState, refused: Option<&'static str>) -> AppResult<FilesPage> {
    let files = store::list(&st.db, ctx.tenant.id, 200).await?;
    Ok(FilesPage { ctx, files, refused })
}

async fn index(Admin(ctx, _): Admin, State(st): State<AppState>) -> AppResult<FilesPage> {
    page(ctx, &st, None).await
}

async fn upload(Admin(ctx, me): Admin, State(st): State<AppState>, mut multipart: Multipart) -> AppResult<Response> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            if let Ok(bytes) = field.bytes().await {
                file = Some((name, bytes.to_vec()));
            }
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    let checked = match super::check(&name, &bytes) {
        Ok(c) => c,
        Err(why) => {
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(ctx, &st, Some(why.message())).await?).into_response());
        }
    };
    let tenant = ctx.tenant.id;
    st.db.write(async |tx| store::insert(tx, tenant, &checked, Some(me.id)).await).await?;
    ctx.set_flash("file-uploaded");
    Ok(Redirect::to("/admin/files").into_response())
}

/// A public file.
async fn serve(ctx: Ctx, State(st): State<AppState>, Path((id, _name)): Path<(i64, String)>) -> AppResult<Response> {
    let file = store::get_public(&st.db, ctx.tenant.id, FileId(id)).await?;
    Ok(respond(file, "public, max-age=31536000, immutable"))
}

/// A file as an answer: a picture inline, anything else as a download; `nosniff` (set for
/// every answer by the shell) keeps the browser from taking it for anything else, and the
/// sandbox keeps a PDF from running anything as the site.
pub fn respond(file: store::Stored, cache_control: &'static str) -> Response {
    let disposition = if file.kind.is_image() { "inline" } else { "attachment" };
    let encoded: String = file
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, file.kind.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, format!("{disposition}; filename*=UTF-8''{encoded}")),
            (header::CACHE_CONTROL, cache_control.to_owned()),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_owned()),
        ],
        file.bytes,
    )
        .into_response()
}

crate::html_page!(FilesPage);

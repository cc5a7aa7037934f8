//! Files attached to board posts, tried as their users would: the author attaches a PDF
//! and a photo (cleaned like every upload); a members-only post's files open for members
//! only, a hidden post's for its author and the secretariat only, and none of them at the
//! public `/files` address; a refused file says why on the post's page; five to a post;
//! the author takes one off. Then who may do what, with another member and another center.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, Page, TestServer};

on_both_backends!(files_travel_with_their_post);

async fn log_in(server: &TestServer, email: &str) -> Browser {
    let b = server.browser();
    b.log_in(email, "a password").await;
    b
}

/// Attaches a file through the post page's form.
async fn attach(b: &Browser, post: &str, bytes: &[u8], name: &str) -> Page {
    let page = b.get(post).await;
    let action = page.html().attr("form[enctype]", "action").expect("attach form");
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned());
    b.post_multipart(&action, reqwest::multipart::Form::new().part("file", part)).await
}

fn png(n: u8) -> Vec<u8> {
    // A PNG signature and an IHDR chunk, then IEND: enough to be taken for what it is.
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend([0, 0, 0, 13]);
    b.extend(b"IHDR");
    b.extend([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, n]);
    b.extend([0, 0, 0, 0]);
    b.extend([0, 0, 0, 0]);
    b.extend(b"IEND");
    b.extend([0xAE, 0x42, 0x60, 0x82]);
    b
}

async fn files_travel_with_their_post(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("npo@example.jp", "a password", "青葉 太郎", Role::Member).await;
    server.create_account("reader@example.jp", "a password", "読者 花子", Role::Member).await;
    let npo = log_in(&server, "npo@example.jp").await;
    let reader = log_in(&server, "reader@example.jp").await;
    let office = server.secretariat().await;
    let anonymous = server.browser();
    let saved = npo
        .submit(
            "/board/new",
            "/board",
            &[
                ("category", "data"),
                ("audience", "members"),
                ("title", "調査の集計表"),
                ("body", "添付をご覧ください。"),
            ],
        )
        .await;
    let post = saved.location().to_owned();

    let sent = attach(&npo, &post, b"%PDF-1.7\n%...", "空き家調査 2023.pdf").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = npo.get(&post).await.html();
    let link = page.attr("#attachments li a", "href").expect("listed");
    assert!(link.starts_with(&format!("{post}/files/")), "{link}");
    assert!(page.text("#attachments li").unwrap().contains("PDF"));

    // A member reads it; the public and the /files address do not.
    let got = reader.get(&link).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("content-type"), "application/pdf");
    assert!(got.header("content-disposition").starts_with("attachment;"));
    assert_eq!(got.header("cache-control"), "private, no-cache");
    assert_eq!(anonymous.get(&link).await.status, StatusCode::NOT_FOUND);
    let file_id = link.split('/').nth(4).unwrap().to_owned();
    for b in [&anonymous, &reader, &office] {
        assert_eq!(b.get(&format!("/files/{file_id}/x.pdf")).await.status, StatusCode::NOT_FOUND);
    }
    assert!(!office.get("/admin/files").await.body.contains("空き家調査"), "not among the public files");
    // The same file through another post's address is nothing.
    let other = npo
        .submit(
            "/board/new",
            "/board",
            &[("category", "notice"), ("audience", "public"), ("title", "別の投稿"), ("body", "x")],
        )
        .await
        .location()
        .to_owned();
    assert_eq!(reader.get(&format!("{other}/files/{file_id}/x.pdf")).await.status, StatusCode::NOT_FOUND);

    // A refused file says why, on the post's page, and nothing is attached.
    let refused = attach(&npo, &post, b"<html><script>alert(1)</script></html>", "photo.png").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html().text("#file-error").is_some(), "{}", refused.body);
    assert_eq!(npo.get(&post).await.html().count("#attachments li"), 1);

    // Another member may not attach or take off; neither may the public.
    let action = npo.get(&post).await.html().attr("form[enctype]", "action").unwrap();
    let part = reqwest::multipart::Part::bytes(png(1)).file_name("x.png");
    let token = reader.get(&post).await.html().csrf_token().unwrap();
    let theirs = action.replacen(&action[action.find("csrf_token=").unwrap() + 11..], &token, 1);
    let denied = reader.post_multipart(&theirs, reqwest::multipart::Form::new().part("file", part)).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let delete = format!("{post}/attachments/{file_id}/delete");
    assert_eq!(reader.submit(&post, &delete, &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(anonymous.post_raw(&delete, &[]).await.status, StatusCode::FORBIDDEN);
    // Another center knows neither the post nor its files.
    server.add_tenant("tokyo", "東京ハブ", "tokyo.example").await;
    let tokyo = server.browser_at("tokyo.example");
    assert_eq!(tokyo.get(&link).await.status, StatusCode::NOT_FOUND);

    // Five files to a post.
    for n in 2..=5u8 {
        let sent = attach(&npo, &post, &png(n), &format!("写真{n}.png")).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
    let full = npo.get(&post).await.html();
    assert_eq!(full.count("#attachments li"), 5);
    assert!(full.attr("form[enctype]", "action").is_none(), "no form when full");
    let part = reqwest::multipart::Part::bytes(png(9)).file_name("six.png");
    let sixth = npo.post_multipart(&action, reqwest::multipart::Form::new().part("file", part)).await;
    assert_eq!(sixth.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sixth.html().text("#file-error").unwrap().contains("5つまで"));

    // A hidden post's files: its author and the secretariat only.
    let moderation = format!("/admin/board/{}/moderation", post.rsplit('/').next().unwrap());
    office.submit(&post, &moderation, &[("action", "hide"), ("reason", "確認中")]).await;
    assert_eq!(reader.get(&link).await.status, StatusCode::NOT_FOUND);
    assert_eq!(npo.get(&link).await.status, StatusCode::OK);
    assert_eq!(office.get(&link).await.status, StatusCode::OK);
    office.submit(&post, &moderation, &[("action", "restore")]).await;

    // The author's export names their files.
    let export: serde_json::Value = serde_json::from_str(&npo.get("/account/export").await.body).unwrap();
    let posts = export["board_posts"].as_array().unwrap();
    let files = posts.iter().find(|p| p["title"] == "調査の集計表").unwrap()["attachments"].as_array().unwrap().clone();
    assert_eq!(files.len(), 5);
    assert_eq!(files[0]["url"], link.as_str());

    // The author takes the PDF off: gone for everyone, and from the database.
    let taken = npo.submit(&post, &delete, &[]).await;
    assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
    assert_eq!(reader.get(&link).await.status, StatusCode::NOT_FOUND);
    assert_eq!(npo.get(&post).await.html().count("#attachments li"), 4);
    let tenant = server.tenant().await;
    let gone = socialhub::file::store::get(&server.db, tenant, socialhub::file::FileId(file_id.parse().unwrap())).await;
    assert!(gone.is_err(), "the file itself is deleted");
    assert_eq!(npo.submit(&post, &delete, &[]).await.status, StatusCode::NOT_FOUND, "once");
}

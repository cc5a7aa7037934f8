//! socialhub: the software of a civic co-creation hub (sessions, labs, network, open
//! innovation and a knowledge core) for centers such as せんだい・みやぎソーシャルハブ.
//!
//! One binary; SQLite embedded by default, PostgreSQL to scale out. See `docs/` for the
//! architecture; each concept of the glossary lives in a module of its own.

pub mod access_log;
pub mod account;
pub mod article;
pub mod attendance;
pub mod board;
pub mod cli;
pub mod config;
pub mod consultation;
pub mod db;
pub mod demo;
pub mod directory;
pub mod event;
pub mod file;
pub mod hearing;
pub mod home;
pub mod i18n;
pub mod introduction;
pub mod lab;
pub mod mail;
pub mod markdown;
pub mod moderation;
pub mod mypage;
pub mod notification;
pub mod operations;
pub mod organisation;
pub mod person;
pub mod privacy;
pub mod probono;
pub mod project;
pub mod rate_limit;
pub mod registration;
pub mod report;
pub mod roadmap;
pub mod roster;
pub mod routes;
pub mod search;
pub mod sector;
pub mod session;
pub mod skill;
pub mod social_issue;
pub mod spreadsheet;
pub mod subscription;
pub mod tenant;
pub mod training;
pub mod validate;
pub mod visibility;
pub mod visit;
pub mod web;

pub use routes::app;
pub use web::AppState;

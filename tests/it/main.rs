//! Integration tests: the real server on a random port, spoken to over HTTP, on SQLite
//! and on PostgreSQL.

mod support;

mod access_log;
mod accounts;
mod articles;
mod attachments;
mod binary;
mod board;
mod checkin;
mod cli;
mod directory;
mod events;
mod files;
mod first_contact;
mod hearings;
mod instances;
mod lab_meetings;
mod lab_origins;
mod lab_requests;
mod lab_sessions;
mod labs;
mod mail;
mod operations;
mod organisations;
mod privacy;
mod probono;
mod projects;
mod properties;
mod report;
mod review;
mod roadmap_withdrawal;
mod roles;
mod roster;
mod search;
mod serving;
mod shell;
mod social_issue;
mod tenants;
mod trainings;
mod workbench;

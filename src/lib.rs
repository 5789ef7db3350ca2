//! learndeck: a terminal learning dashboard. Each tab is a lesson backed by a
//! real simulation; every lesson also runs headless (`learndeck trace`).

pub mod action;
pub mod app;
pub mod cli;
pub mod config;
pub mod editor;
pub mod error;
pub mod files;
pub mod headless;
pub mod i18n;
pub mod lesson;
pub mod lessons;
pub mod progress;
pub mod quiz;
pub mod seen;
pub mod sim;
pub mod theme;
pub mod tour;
pub mod tui;
pub mod ui;
pub mod widgets;

//! Backup and restore of this computer's store, as the admin's Backup page sees it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How many daily backups are kept when the admin has not said.
pub const DEFAULT_BACKUPS_KEPT: u32 = 14;

/// At most a year of daily backups.
pub const MAX_BACKUPS_KEPT: u32 = 366;

/// One archive written: where, when, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSummary {
    /// The archive's file name, and the folder it is in (chosen by the admin).
    pub file_name: String,
    pub folder: String,
    pub taken_at: DateTime<Utc>,
    pub size_bytes: u64,
    pub counts: BackupCounts,
}

/// What a backup holds, to show before and after.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupCounts {
    pub work_orders: u64,
    pub users: u64,
    pub attachments: u64,
}

/// Daily backups into a folder, keeping the newest `keep`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSchedule {
    pub folder: String,
    pub keep: u32,
}

/// The Backup page: the schedule, the last backup, and the last scheduled one that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupStatus {
    pub schedule: Option<BackupSchedule>,
    pub last_backup: Option<BackupSummary>,
    /// Set when the latest scheduled backup failed, until one succeeds.
    pub last_failure: Option<BackupFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupFailure {
    pub at: DateTime<Utc>,
    pub message: String,
}

/// A backup checked and unpacked beside the store, waiting for the admin's confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestorePreview {
    pub file_name: String,
    pub agency: String,
    pub taken_at: DateTime<Utc>,
    /// The Plumbline version that wrote it.
    pub app_version: String,
    pub counts: BackupCounts,
    pub size_bytes: u64,
}

//! Integration tests of the use cases against real SQLite files.

mod support;

mod demo;

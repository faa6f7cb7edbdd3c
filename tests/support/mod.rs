//! Shared helpers for the integration tests: a drop-logging value and scripted futures.

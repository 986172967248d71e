//! Async work done outside the calling test's runtime.

/// Runs the future `work` makes to the end on a new thread with its own runtime (made
/// there, so the future itself need not be `Send`).
pub(crate) fn on_own_runtime<T, F>(work: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Send + 'static,
    F: Future<Output = T>,
{
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(work())
    })
    .join()
    .expect("the helper thread finished")
}

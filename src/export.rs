//! `export`: placeholder while the batch lands.
pub async fn run(_t: &crate::cli::TargetArgs, _a: &crate::cli::ExportArgs) -> i32 {
    2
}

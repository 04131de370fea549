//! A named pool in the config file brings its settings, including permission to write.

use clap::Parser;
use cognito_tui::cli::Cli;
use cognito_tui::session::effective_target;

fn target(config: &std::path::Path, extra: &[&str]) -> cognito_tui::cli::TargetArgs {
    let mut args = vec!["cognito-tui", "--config", config.to_str().unwrap()];
    args.extend_from_slice(extra);
    Cli::parse_from(args).target
}

#[test]
fn named_pools_bring_profile_region_and_write_permission() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        r#"
[pools.prod]
pool_id = "eu-west-1_Prod12345"
profile = "support-prod"

[pools.staging]
pool_id = "eu-west-1_Stage1234"
region = "eu-west-2"
allow_write = true
"#,
    )
    .unwrap();

    let (prod, _) = effective_target(&target(&path, &["--pool", "prod"])).unwrap();
    assert_eq!(prod.pool.as_deref(), Some("eu-west-1_Prod12345"));
    assert_eq!(prod.profile.as_deref(), Some("support-prod"));
    assert!(
        !prod.allow_write,
        "read-only unless the pool or the flag says otherwise"
    );

    let (staging, _) = effective_target(&target(&path, &["--pool", "staging"])).unwrap();
    assert!(staging.allow_write);
    assert_eq!(staging.region.as_deref(), Some("eu-west-2"));

    // The command line wins over the file.
    let (cli_region, _) = effective_target(&target(
        &path,
        &["--pool", "staging", "--region", "us-east-1"],
    ))
    .unwrap();
    assert_eq!(cli_region.region.as_deref(), Some("us-east-1"));

    let err = effective_target(&target(&path, &["--pool", "nope"]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("prod, staging"), "{err}");
}

//! Seeds an emulator with the pools and users the behaviour suite needs, through the SDK
//! directly (not through the code under test).
#![allow(dead_code)]

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    AliasAttributeType, AttributeDataType, AttributeType, MessageActionType, SchemaAttributeType,
    UsernameAttributeType,
};

/// Test credentials: emulators accept anything; never real ones.
pub const ACCESS_KEY: &str = "test";
pub const SECRET_KEY: &str = "test";
pub const REGION: &str = "us-east-1";

/// A 128-character username, Cognito's maximum.
pub fn long_username() -> String {
    format!("u{}", "x".repeat(127))
}

/// A name full of terminal escape sequences, bidi overrides and zero-width characters.
pub const HOSTILE_NAME: &str =
    "Mallory \u{1b}[2J\u{1b}[H\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{202e}exe\u{200b}";

/// An SDK client straight to `url` with dummy credentials.
pub fn client(url: &str) -> cip::Client {
    let config = cip::Config::builder()
        .behavior_version(cip::config::BehaviorVersion::latest())
        .region(cip::config::Region::new(REGION))
        .endpoint_url(url)
        .credentials_provider(cip::config::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "test",
        ))
        .build();
    cip::Client::from_conf(config)
}

/// The code under test's SDK backend to `url`: dummy credentials, no retries (an emulator's
/// missing operation fails at once), a bounded wait.
pub async fn backend(url: String) -> cognito_tui::cognito::sdk::SdkBackend {
    use cognito_tui::cognito::sdk::{SdkBackend, SdkOptions};
    SdkBackend::connect(
        &SdkOptions {
            region: Some(REGION.into()),
            endpoint_url: Some(url),
            timeout: std::time::Duration::from_secs(15),
            static_credentials: Some((ACCESS_KEY.into(), SECRET_KEY.into())),
            ..SdkOptions::default()
        },
        None,
    )
    .await
}

/// A new pool named `name`, with the emulator's defaults; its id.
pub async fn create_pool(client: &cip::Client, name: &str) -> String {
    client
        .create_user_pool()
        .pool_name(name)
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id")
}

/// A new pool named `name` holding one user, `username`, and no attributes; its id.
pub async fn pool_with_user(client: &cip::Client, name: &str, username: &str) -> String {
    let pool = create_pool(client, name).await;
    create_user(client, &pool, username, &[]).await;
    pool
}

/// What was created.
pub struct Seeded {
    /// email, phone_number and preferred_username are aliases.
    pub alias_pool: String,
    /// email is the username attribute.
    pub email_pool: String,
    /// no aliases at all: emails can only be found with ListUsers.
    pub plain_pool: String,
    /// username → sub, for every user created.
    pub subs: HashMap<String, String>,
    /// The username Cognito gave the email-pool user (a UUID, as in real Cognito).
    pub eve_username: String,
    /// No aliases; usernames that collide with other users' identifiers: `dan@example.com`
    /// is a username and `dan`'s email, and one user's username is `frank`'s sub.
    pub collision_pool: String,
    /// Why the user named by frank's sub could not be created, if the emulator refused it.
    pub sub_named_refused: Option<String>,
}

/// One attribute, as the SDK takes it.
pub fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("attribute")
}

/// AdminCreateUser (invitation suppressed, a temporary password): the username Cognito
/// gave the user, and its sub.
pub async fn create_user(
    client: &cip::Client,
    pool: &str,
    username: &str,
    attributes: &[(&str, &str)],
) -> (String, String) {
    try_create_user(client, pool, username, attributes)
        .await
        .unwrap_or_else(|e| panic!("AdminCreateUser {username}: {e}"))
}

/// AdminCreateUser; the error is the emulator's refusal, for users it cannot hold.
async fn try_create_user(
    client: &cip::Client,
    pool: &str,
    username: &str,
    attributes: &[(&str, &str)],
) -> Result<(String, String), String> {
    let out = client
        .admin_create_user()
        .user_pool_id(pool)
        .username(username)
        .message_action(MessageActionType::Suppress)
        .temporary_password("Temp-Passw0rd!")
        .set_user_attributes(Some(attributes.iter().map(|(n, v)| attr(n, v)).collect()))
        .send()
        .await
        .map_err(|e| format!("{:?}", e.into_service_error()))?;
    let user = out.user.expect("created user");
    let sub = user
        .attributes()
        .iter()
        .find(|a| a.name == "sub")
        .and_then(|a| a.value.clone())
        .expect("sub");
    Ok((user.username.clone().expect("username"), sub))
}

/// Creates the three pools and their users.
pub async fn seed(client: &cip::Client) -> Seeded {
    let tenant = SchemaAttributeType::builder()
        .name("tenant")
        .attribute_data_type(AttributeDataType::String)
        .mutable(true)
        .build();
    let alias_pool = client
        .create_user_pool()
        .pool_name("aliases")
        .alias_attributes(AliasAttributeType::Email)
        .alias_attributes(AliasAttributeType::PhoneNumber)
        .alias_attributes(AliasAttributeType::PreferredUsername)
        .schema(tenant)
        .send()
        .await
        .expect("CreateUserPool aliases")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let email_pool = client
        .create_user_pool()
        .pool_name("email-as-username")
        .username_attributes(UsernameAttributeType::Email)
        .send()
        .await
        .expect("CreateUserPool email")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let plain_pool = client
        .create_user_pool()
        .pool_name("plain")
        .send()
        .await
        .expect("CreateUserPool plain")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");

    let mut subs = HashMap::new();
    let long = long_username();
    let alias_users: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "alice",
            vec![
                ("email", "alice@example.com"),
                ("email_verified", "true"),
                ("phone_number", "+15550100001"),
                ("phone_number_verified", "true"),
                ("preferred_username", "ally"),
                ("custom:tenant", "acme"),
            ],
        ),
        (
            "bob",
            vec![("email", "bob@example.com"), ("email_verified", "false")],
        ),
        ("dup.one", vec![("email", "shared@example.com")]),
        ("dup.two", vec![("email", "shared@example.com")]),
        ("zoë.müller", vec![("name", "Zoë Müller")]),
        (long.as_str(), vec![("email", "long@example.com")]),
        (
            "mallory",
            vec![
                ("name", HOSTILE_NAME),
                ("custom:tenant", "a\"quote\\and\u{7}bell"),
            ],
        ),
    ];
    for (username, attributes) in &alias_users {
        let (_, sub) = create_user(client, &alias_pool, username, attributes).await;
        subs.insert(username.to_string(), sub);
    }
    let (eve_username, sub) = create_user(
        client,
        &email_pool,
        "eve@example.com",
        &[("email_verified", "true")],
    )
    .await;
    subs.insert("eve@example.com".into(), sub);
    let (_, sub) = create_user(
        client,
        &plain_pool,
        "carol",
        &[("email", "carol@example.com"), ("email_verified", "true")],
    )
    .await;
    subs.insert("carol".into(), sub);
    let collision_pool = client
        .create_user_pool()
        .pool_name("collisions")
        .send()
        .await
        .expect("CreateUserPool collisions")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let (_, sub) = create_user(
        client,
        &collision_pool,
        "dan",
        &[("email", "dan@example.com"), ("email_verified", "true")],
    )
    .await;
    subs.insert("dan".into(), sub);
    let (_, sub) = create_user(client, &collision_pool, "dan@example.com", &[]).await;
    subs.insert("dan@example.com".into(), sub);
    let (_, frank_sub) = create_user(client, &collision_pool, "frank", &[]).await;
    let sub_named_refused = match try_create_user(client, &collision_pool, &frank_sub, &[]).await {
        Ok((_, sub)) => {
            subs.insert(frank_sub.clone(), sub);
            None
        }
        Err(refusal) => Some(refusal),
    };
    subs.insert("frank".into(), frank_sub);
    Seeded {
        alias_pool,
        email_pool,
        plain_pool,
        subs,
        eve_username,
        collision_pool,
        sub_named_refused,
    }
}

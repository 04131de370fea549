//! Every AdminGetUser exception in the API reference (and IAM's AccessDenied), served by an
//! HTTP stub, becomes a clear message and the documented exit code. Retries are counted.

use crate::common::cli;

use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn cognito_error(status: u16, exception: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/x-amz-json-1.1")
        .insert_header("x-amzn-errortype", exception)
        .set_body_string(format!(
            r#"{{"__type":"{exception}","message":"{message}"}}"#
        ))
}

async fn get_against(server: &MockServer, extra: &[&str]) -> cli::Run {
    cli::get_alice_async(&server.uri(), extra).await
}

#[tokio::test]
async fn each_exception_has_its_exit_code_and_a_hint() {
    let cases = [
        (
            400,
            "UserNotFoundException",
            "User does not exist.",
            3,
            "no user matches \"alice\" in eu-west-1_AbC123",
        ),
        (
            400,
            "ResourceNotFoundException",
            "User pool eu-west-1_AbC123 does not exist.",
            5,
            "check the pool id and the Region",
        ),
        (
            400,
            "InvalidParameterException",
            "1 validation error detected",
            5,
            "rejected the request as malformed",
        ),
        (
            400,
            "NotAuthorizedException",
            "Not authorized",
            6,
            "cognito-idp:AdminGetUser",
        ),
        (
            400,
            "AccessDeniedException",
            "User: arn:aws:sts::1:assumed-role/support is not authorized",
            6,
            "IAM denied cognito-idp:AdminGetUser",
        ),
        (
            400,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
            6,
            "no valid AWS credentials",
        ),
        (
            400,
            "ExpiredTokenException",
            "The security token included in the request is expired",
            6,
            "aws sso login",
        ),
        (
            400,
            "TooManyRequestsException",
            "Too many requests",
            7,
            "throttling",
        ),
        (
            500,
            "InternalErrorException",
            "Internal error",
            7,
            "internal error",
        ),
    ];
    for (status, exception, message, code, hint) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(header(
                "x-amz-target",
                "AWSCognitoIdentityProviderService.AdminGetUser",
            ))
            .respond_with(cognito_error(status, exception, message))
            .mount(&server)
            .await;
        let r = get_against(&server, &["--by", "username"]).await;
        assert_eq!(r.code, code, "{exception}: {}", r.stderr);
        assert!(r.stderr.contains(exception), "{exception}: {}", r.stderr);
        // A missing user is reported in our words (pool, query, what was tried).
        if exception != "UserNotFoundException" {
            assert!(r.stderr.contains(message), "{exception}: {}", r.stderr);
        }
        assert!(
            r.stderr.contains(hint),
            "{exception}: hint missing in {}",
            r.stderr
        );
        let attempts = server.received_requests().await.unwrap().len();
        // Throttling is retried up to the limiter's stated bound (8 retries), server errors
        // up to --max-attempts (3); a missing user costs one more: the ListUsers prefix
        // search for "did you mean".
        let expected = match exception {
            "TooManyRequestsException" => 9,
            "InternalErrorException" => 3,
            "UserNotFoundException" => 2,
            _ => 1,
        };
        assert_eq!(attempts, expected, "{exception}: {attempts} attempts");
    }
}

#[tokio::test]
async fn throttling_then_success_is_retried_transparently() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(cognito_error(
            400,
            "TooManyRequestsException",
            "Rate exceeded",
        ))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .set_body_string(
                    r#"{"Username":"alice","Enabled":true,"UserStatus":"CONFIRMED",
                        "UserCreateDate":1.7e9,"UserAttributes":[{"Name":"sub","Value":"s-1"}]}"#,
                ),
        )
        .mount(&server)
        .await;
    let r = get_against(&server, &["-o", "json"]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("\"UserCreateDate\": \"2023-11-14T22:13:20Z\""),
        "{}",
        r.stdout
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn garbage_body_is_a_clear_error_not_a_crash() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .set_body_string("<html>proxy login</html>"),
        )
        .mount(&server)
        .await;
    let r = get_against(&server, &[]).await;
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(r.stderr.contains("not a Cognito response"), "{}", r.stderr);
}

#[tokio::test]
async fn a_hanging_endpoint_times_out_within_the_bound() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(30)))
        .mount(&server)
        .await;
    let r = get_against(&server, &["--timeout", "1.5"]).await;
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(r.stderr.contains("1.5 s"), "{}", r.stderr);
    // README: `--timeout` bounds one request *including its retries*. The SDK makes 3
    // attempts, so a per-attempt timeout would take 4.5 s; the bound is 1.5 s plus the
    // binary's start and exit (measured: 1.64–1.72 s in all, at a load average of 17 on 2 cores).
    eprintln!("--timeout 1.5 against a hanging endpoint: {:?}", r.elapsed);
    assert!(r.elapsed.as_secs_f64() < 2.5, "took {:?}", r.elapsed);
}

//! Access tokens: JWT, HS256 pinned, 15 minutes, every registered claim required.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use sammen_domain::identity::RoleGrant;
use serde::{Deserialize, Serialize};

/// Access-token lifetime in seconds.
pub const ACCESS_TOKEN_TTL: i64 = 15 * 60;
/// The minimum secret length (RFC 7518 §3.2: at least the hash size).
pub const MIN_SECRET_BYTES: usize = 32;
pub const ISSUER: &str = "sammen";
pub const AUDIENCE: &str = "sammen-api";
/// The JOSE `typ` of an access token (RFC 9068), so no other kind of token passes as one.
pub const ACCESS_TOKEN_TYP: &str = "at+jwt";
/// Clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECONDS: u64 = 30;

/// Who a token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    User,
    Client,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    pub sub: String,
    /// `user` or `client`.
    pub kind: SubjectKind,
    /// The roles of a user, with their scopes.
    pub roles: Vec<RoleGrant>,
    /// Space-separated scopes of an API client (`directory:read directory:write`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is not valid")]
    Invalid,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    /// Keys from a secret of at least 32 bytes.
    pub fn new(secret: &[u8]) -> Result<Self, String> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!("the JWT secret must be at least {MIN_SECRET_BYTES} bytes, got {}", secret.len()));
        }
        // Only HS256 is accepted, whatever the token's header claims.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS;
        Ok(Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), validation })
    }

    /// Claims for a new access token issued now.
    pub fn claims(&self, sub: &str, kind: SubjectKind, roles: Vec<RoleGrant>, scope: String) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: sub.to_owned(),
            kind,
            roles,
            scope,
            iat: now,
            nbf: now,
            exp: now + ACCESS_TOKEN_TTL,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            // Time-ordered: it tells when, to the millisecond, the token was issued (`issued_at`).
            jti: uuid::Uuid::now_v7().to_string(),
        }
    }

    /// When a token was issued: to the millisecond from its time-ordered `jti`, else (a token made
    /// before ids were time-ordered) to the second from `iat`. Ending an account's sessions
    /// refuses tokens issued before that instant, and one issued just after still works.
    pub fn issued_at(claims: &Claims) -> Option<chrono::NaiveDateTime> {
        let from_id = uuid::Uuid::parse_str(&claims.jti).ok().and_then(|id| id.get_timestamp()).map(|t| {
            let (seconds, nanos) = t.to_unix();
            chrono::DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(i64::MAX), nanos)
        });
        from_id.flatten().or_else(|| chrono::DateTime::from_timestamp(claims.iat, 0)).map(|t| t.naive_utc())
    }

    pub fn sign(&self, claims: &Claims) -> String {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(ACCESS_TOKEN_TYP.to_owned());
        // HMAC over serialisable claims cannot fail.
        encode(&header, claims, &self.encoding).unwrap_or_default()
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        if token.len() > 8192 {
            return Err(TokenError::Invalid);
        }
        let data = decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
            _ => TokenError::Invalid,
        })?;
        if data.header.typ.as_deref() != Some(ACCESS_TOKEN_TYP) {
            return Err(TokenError::Invalid);
        }
        // exp - iat beyond the policy means the token was not made by this service's rules.
        let claims = data.claims;
        if claims.exp - claims.iat > ACCESS_TOKEN_TTL || claims.iat > claims.exp {
            return Err(TokenError::Invalid);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sammen_domain::identity::Role;

    fn keys() -> JwtKeys {
        JwtKeys::new(&[7u8; 32]).unwrap()
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(JwtKeys::new(&[1u8; 31]).is_err());
    }

    #[test]
    fn a_signed_token_verifies_and_a_tampered_one_does_not() {
        let keys = keys();
        let claims = keys.claims("u1", SubjectKind::User, vec![RoleGrant::global(Role::Volunteer)], String::new());
        let token = keys.sign(&claims);
        assert_eq!(keys.verify(&token).unwrap(), claims);
        let other = JwtKeys::new(&[8u8; 32]).unwrap();
        assert_eq!(other.verify(&token), Err(TokenError::Invalid));
        let mut flipped = token.clone().into_bytes();
        let last = flipped.len() - 2;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(keys.verify(&String::from_utf8(flipped).unwrap()), Err(TokenError::Invalid));
    }

    #[test]
    fn expired_tokens_are_told_apart() {
        let keys = keys();
        let mut claims = keys.claims("u1", SubjectKind::User, vec![], String::new());
        claims.iat -= 3600;
        claims.nbf -= 3600;
        claims.exp -= 3600;
        assert_eq!(keys.verify(&keys.sign(&claims)), Err(TokenError::Expired));
    }
}

//! Who may see or do what — the only place that decides it (formats.md §7, architecture.md §2).
//!
//! A request is made by a [`Caller`]: a signed-in person (session cookie) or a program (API
//! bearer token). Handlers never inspect roles or scopes: they ask this module for the
//! organisation (or funder, or the Ministry's view) they are about to serve, with the
//! [`Action`] they are about to perform, and get it back or a [`Denied`]:
//! - `Unauthenticated` (401 on the API; the sign-in page on the workspace);
//! - `NotFound` (404) for an unknown organisation **and** for one the caller does not belong
//!   to — the existence of another organisation's data never leaks;
//! - `Forbidden` (403) when the caller belongs to the organisation but its role or scope does
//!   not allow the action.

use crate::config::{FunderConfig, OrganisationConfig};
use crate::server::secrets::token_hash;
use crate::server::AppState;
use releve_store::{ApiTokenRecord, FunderShare, Membership};

/// A role in one organisation (formats.md §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Admin,
    Preparer,
    Signatory,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Preparer, Role::Signatory, Role::Viewer];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Preparer => "preparer",
            Role::Signatory => "signatory",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    /// The French name shown to people.
    pub fn label_fr(self) -> &'static str {
        match self {
            Role::Admin => "administrateur",
            Role::Preparer => "préparateur",
            Role::Signatory => "signataire",
            Role::Viewer => "lecteur",
        }
    }
}

/// The scope of an API token (formats.md §1 `token create`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Reads one organisation, as a viewer.
    Read,
    /// Reads and writes one organisation, as a preparer (never approves).
    Write,
    /// Only the vendor push of one organisation.
    Push,
    /// The approved SIBIL data of every organisation that shares with the Ministry.
    Ministry,
    /// The indicators that organisations share with one funder.
    Funder,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::Read,
        Scope::Write,
        Scope::Push,
        Scope::Ministry,
        Scope::Funder,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Push => "push",
            Scope::Ministry => "ministry",
            Scope::Funder => "funder",
        }
    }

    pub fn parse(code: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// What a request is about to do to an organisation (the rows of formats.md §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Read its months, declarations, issues, indicators.
    Read,
    /// Start a run, collect now, test a source.
    Run,
    /// Corrections, answers to blocking questions, manual links.
    Correct,
    /// Approve, submit, record a submission.
    Approve,
    /// Users, sources, stored credentials, sharing, tokens.
    Administer,
    /// The vendor push (API only).
    Push,
}

impl Role {
    /// Whether this role allows the action (formats.md §7).
    pub fn allows(self, action: Action) -> bool {
        match action {
            Action::Read => true,
            Action::Run | Action::Correct => matches!(self, Role::Admin | Role::Preparer),
            Action::Approve => self == Role::Signatory,
            Action::Administer => self == Role::Admin,
            Action::Push => false,
        }
    }
}

impl Scope {
    /// Whether a token of this scope, for its own organisation, allows the action.
    fn allows(self, action: Action) -> bool {
        match self {
            Scope::Read => action == Action::Read,
            Scope::Write => matches!(
                action,
                Action::Read | Action::Run | Action::Correct | Action::Push
            ),
            Scope::Push => action == Action::Push,
            Scope::Ministry | Scope::Funder => false,
        }
    }
}

/// A signed-in person.
#[derive(Clone, Debug)]
pub struct UserCaller {
    pub user_id: i64,
    pub email: String,
    /// (organisation slug, role), one per membership.
    pub memberships: Vec<(String, Role)>,
    /// Funders whose view this person reads.
    pub funders: Vec<String>,
    /// The session's CSRF token, to put in every form and check on every POST.
    pub csrf_token: String,
    /// The hash of the session token (to end the session at logout).
    pub session_hash: String,
}

/// A program with an API token.
#[derive(Clone, Debug)]
pub struct TokenCaller {
    pub id: i64,
    pub name: String,
    pub scope: Scope,
    pub org: Option<String>,
    pub funder: Option<String>,
}

/// Who is asking.
#[derive(Clone, Debug)]
pub enum Caller {
    User(UserCaller),
    Token(TokenCaller),
}

/// Why a request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    Unauthenticated,
    NotFound,
    Forbidden,
}

impl Caller {
    /// A short label for the audit log: the person's e-mail or `jeton « name »`.
    pub fn actor(&self) -> String {
        match self {
            Caller::User(u) => u.email.clone(),
            Caller::Token(t) => format!("jeton « {} »", t.name),
        }
    }

    /// The roles of this caller in an organisation (none: it does not exist for them).
    pub fn roles_in(&self, org: &str) -> Vec<Role> {
        match self {
            Caller::User(u) => u
                .memberships
                .iter()
                .filter(|(o, _)| o == org)
                .map(|(_, r)| *r)
                .collect(),
            Caller::Token(_) => Vec::new(),
        }
    }

    /// Whether the organisation exists for this caller at all.
    fn belongs_to(&self, org: &str) -> bool {
        match self {
            Caller::User(u) => u.memberships.iter().any(|(o, _)| o == org),
            Caller::Token(t) => {
                matches!(t.scope, Scope::Read | Scope::Write | Scope::Push)
                    && t.org.as_deref() == Some(org)
            }
        }
    }

    /// Whether this caller may perform `action` on the organisation (it belongs to it).
    pub fn may(&self, org: &str, action: Action) -> bool {
        match self {
            Caller::User(_) => self.roles_in(org).iter().any(|r| r.allows(action)),
            Caller::Token(t) => self.belongs_to(org) && t.scope.allows(action),
        }
    }
}

/// The organisation `slug`, if the caller may perform `action` on it.
pub fn organisation<'a>(
    state: &'a AppState,
    caller: &Caller,
    slug: &str,
    action: Action,
) -> Result<&'a OrganisationConfig, Denied> {
    let org = state
        .config()
        .organisations
        .iter()
        .find(|o| o.organisation.slug == slug)
        .ok_or(Denied::NotFound)?;
    if !caller.belongs_to(slug) {
        return Err(Denied::NotFound);
    }
    if !caller.may(slug, action) {
        return Err(Denied::Forbidden);
    }
    Ok(org)
}

/// The organisations the caller may read, in configuration order (a funder or Ministry
/// token reads none of them through this list: they have their own views).
pub fn readable_organisations<'a>(
    state: &'a AppState,
    caller: &Caller,
) -> Vec<&'a OrganisationConfig> {
    state
        .config()
        .organisations
        .iter()
        .filter(|o| caller.may(&o.organisation.slug, Action::Read))
        .collect()
}

/// The funder `slug`, if the caller reads its view (a funder token for it, or one of its
/// reader users). A funder that is not the caller's does not exist for it (404); a token of an
/// organisation's scope (`read`, `write`, `push`) or the Ministry's is refused (403): funder
/// routes are not within its scope.
pub fn funder<'a>(
    state: &'a AppState,
    caller: &Caller,
    slug: &str,
) -> Result<&'a FunderConfig, Denied> {
    if let Caller::Token(t) = caller {
        if t.scope != Scope::Funder {
            return Err(Denied::Forbidden);
        }
    }
    let funder = state
        .config()
        .funders
        .iter()
        .find(|f| f.slug == slug)
        .ok_or(Denied::NotFound)?;
    let reads = match caller {
        Caller::User(u) => u.funders.iter().any(|f| f == slug),
        Caller::Token(t) => t.funder.as_deref() == Some(slug),
    };
    if reads {
        Ok(funder)
    } else {
        Err(Denied::NotFound)
    }
}

/// The funders whose view the caller reads, in configuration order.
pub fn readable_funders<'a>(state: &'a AppState, caller: &Caller) -> Vec<&'a FunderConfig> {
    state
        .config()
        .funders
        .iter()
        .filter(|f| funder(state, caller, &f.slug).is_ok())
        .collect()
}

/// Whether `org` shares its indicators with `funder`: the latest decision taken in the
/// workspace for that pair wins; without one, the configuration's `share_indicators_with`.
fn shares(org: &OrganisationConfig, funder: &str, decisions: &[FunderShare]) -> bool {
    decisions
        .iter()
        .find(|d| d.org == org.organisation.slug && d.funder == funder)
        .map(|d| d.shared)
        .unwrap_or_else(|| org.share_indicators_with.iter().any(|f| f == funder))
}

/// The organisations a funder sees, in configuration order, read at each request (a
/// withdrawal takes effect at the next read). Call it only with a funder from [`funder`].
pub async fn organisations_shared_with<'a>(
    state: &'a AppState,
    funder: &FunderConfig,
) -> anyhow::Result<Vec<&'a OrganisationConfig>> {
    let decisions = state.store().funder_shares().await?;
    Ok(state
        .config()
        .organisations
        .iter()
        .filter(|o| shares(o, &funder.slug, &decisions))
        .collect())
}

/// The organisation `slug` as the funder sees it: an organisation that does not share with that
/// funder does not exist for it (404, like an unknown one).
pub async fn funder_organisation<'a>(
    state: &'a AppState,
    funder: &FunderConfig,
    slug: &str,
) -> anyhow::Result<Result<&'a OrganisationConfig, Denied>> {
    Ok(organisations_shared_with(state, funder)
        .await?
        .into_iter()
        .find(|o| o.organisation.slug == slug)
        .ok_or(Denied::NotFound))
}

/// For an organisation's administrators (`org` obtained with [`Action::Administer`]): every
/// configured funder, whether the organisation shares with it now, and the workspace decision
/// behind that if any.
pub async fn sharing_of<'a>(
    state: &'a AppState,
    org: &OrganisationConfig,
) -> anyhow::Result<Vec<(&'a FunderConfig, bool, Option<FunderShare>)>> {
    let decisions = state.store().funder_shares().await?;
    Ok(state
        .config()
        .funders
        .iter()
        .map(|f| {
            let decision = decisions
                .iter()
                .find(|d| d.org == org.organisation.slug && d.funder == f.slug)
                .cloned();
            (f, shares(org, &f.slug, &decisions), decision)
        })
        .collect())
}

/// The organisations of the Ministry's view, if the caller holds a `ministry` token: those with
/// `share_with_ministry = true`, nothing of the others.
pub fn ministry_organisations<'a>(
    state: &'a AppState,
    caller: &Caller,
) -> Result<Vec<&'a OrganisationConfig>, Denied> {
    match caller {
        Caller::Token(t) if t.scope == Scope::Ministry => Ok(state
            .config()
            .organisations
            .iter()
            .filter(|o| o.share_with_ministry)
            .collect()),
        Caller::Token(_) => Err(Denied::Forbidden),
        Caller::User(_) => Err(Denied::NotFound),
    }
}

/// The caller behind an `Authorization: Bearer …` header value, if the token is live.
pub async fn token_caller(state: &AppState, header: Option<&str>) -> Result<Caller, Denied> {
    let token = header
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(Denied::Unauthenticated)?;
    let record = state
        .store()
        .use_api_token(&token_hash(token), state.now())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "token lookup failed");
            Denied::Unauthenticated
        })?
        .ok_or(Denied::Unauthenticated)?;
    token_from_record(record).ok_or(Denied::Unauthenticated)
}

fn token_from_record(record: ApiTokenRecord) -> Option<Caller> {
    Some(Caller::Token(TokenCaller {
        id: record.id,
        name: record.name,
        scope: Scope::parse(&record.scope)?,
        org: record.org,
        funder: record.funder,
    }))
}

/// The person behind a session cookie value, if the session is live.
pub async fn session_caller(state: &AppState, session_token: Option<&str>) -> Option<UserCaller> {
    let token = session_token.filter(|t| !t.is_empty())?;
    let hash = token_hash(token);
    let store = state.store();
    let session = store.session(&hash, state.now()).await.ok()??;
    let user = store.user_by_id(session.user_id).await.ok()??;
    let memberships = store.memberships(user.id).await.ok()?;
    let funders = store.funders_read_by(user.id).await.ok()?;
    Some(UserCaller {
        user_id: user.id,
        email: user.email,
        memberships: memberships
            .into_iter()
            .filter_map(|Membership { org, role }| Some((org, Role::parse(&role)?)))
            .collect(),
        funders,
        csrf_token: session.csrf_token,
        session_hash: hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(memberships: &[(&str, Role)]) -> Caller {
        Caller::User(UserCaller {
            user_id: 1,
            email: "a@b.fr".into(),
            memberships: memberships
                .iter()
                .map(|(o, r)| (o.to_string(), *r))
                .collect(),
            funders: vec![],
            csrf_token: String::new(),
            session_hash: String::new(),
        })
    }

    fn token(scope: Scope, org: Option<&str>) -> Caller {
        Caller::Token(TokenCaller {
            id: 1,
            name: "t".into(),
            scope,
            org: org.map(str::to_string),
            funder: None,
        })
    }

    #[test]
    fn roles_follow_the_table_of_formats_section_7() {
        use Action::*;
        let expected = [
            (Role::Admin, [true, true, true, false, true, false]),
            (Role::Preparer, [true, true, true, false, false, false]),
            (Role::Signatory, [true, false, false, true, false, false]),
            (Role::Viewer, [true, false, false, false, false, false]),
        ];
        for (role, row) in expected {
            let got = [Read, Run, Correct, Approve, Administer, Push].map(|a| role.allows(a));
            assert_eq!(got, row, "{role:?}");
        }
    }

    #[test]
    fn several_roles_add_up_and_other_organisations_do_not_exist() {
        let c = user(&[("venue", Role::Preparer), ("venue", Role::Signatory)]);
        assert!(c.may("venue", Action::Correct) && c.may("venue", Action::Approve));
        assert!(!c.may("venue", Action::Administer));
        assert!(!c.belongs_to("other"));
        assert!(!c.may("other", Action::Read));
    }

    #[test]
    fn a_workspace_decision_wins_over_the_configuration() {
        let org = OrganisationConfig {
            organisation: releve_domain::testing::organisation(true),
            sources: Vec::new(),
            assumed_vat: Default::default(),
            contact_email: None,
            share_with_ministry: false,
            share_indicators_with: vec!["drac".into()],
            sibil_credentials_env: None,
        };
        let decision = |funder: &str, shared: bool| FunderShare {
            org: org.organisation.slug.clone(),
            funder: funder.into(),
            shared,
            actor: "a@b.fr".into(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        assert!(shares(&org, "drac", &[]));
        assert!(!shares(&org, "region", &[]));
        assert!(!shares(&org, "drac", &[decision("drac", false)]));
        assert!(shares(&org, "region", &[decision("region", true)]));
        // Another organisation's decision says nothing of this one.
        let mut other = decision("drac", false);
        other.org = "autre".into();
        assert!(shares(&org, "drac", &[other]));
    }

    #[test]
    fn token_scopes() {
        let read = token(Scope::Read, Some("venue"));
        assert!(read.may("venue", Action::Read) && !read.may("venue", Action::Correct));
        let write = token(Scope::Write, Some("venue"));
        assert!(write.may("venue", Action::Run) && write.may("venue", Action::Push));
        assert!(!write.may("venue", Action::Approve));
        let push = token(Scope::Push, Some("venue"));
        assert!(push.may("venue", Action::Push) && !push.may("venue", Action::Read));
        assert!(!push.may("other", Action::Push));
        let ministry = token(Scope::Ministry, None);
        assert!(!ministry.belongs_to("venue"));
    }
}

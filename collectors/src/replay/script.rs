//! Routes, replies and the recorded requests of a replay server.

/// One scripted answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            status,
            content_type: "application/json".into(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// JSON-LD, as API Platform (Mapado) answers.
    pub fn json_ld(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            content_type: "application/ld+json; charset=utf-8".into(),
            ..Reply::json(status, body)
        }
    }

    pub fn html(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            content_type: "text/html; charset=UTF-8".into(),
            ..Reply::json(status, body)
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// One endpoint of the fake vendor.
#[derive(Clone, Debug)]
pub struct Route {
    pub method: String,
    pub path: String,
    /// Query parameters that must be present; the value `*` accepts any value.
    pub query: Vec<(String, String)>,
    /// Query parameters that must be absent.
    pub absent: Vec<String>,
    /// Fields of a form-encoded body that must be present (`*` = any value).
    pub form: Vec<(String, String)>,
    /// Headers the vendor checks (e.g. `authorization`); missing or different → 401.
    pub headers: Vec<(String, String)>,
    /// Answers in order; the last one repeats.
    pub replies: Vec<Reply>,
    served: usize,
}

impl Route {
    pub fn new(method: &str, path: &str) -> Route {
        Route {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            query: Vec::new(),
            absent: Vec::new(),
            form: Vec::new(),
            headers: Vec::new(),
            replies: Vec::new(),
            served: 0,
        }
    }

    pub fn get(path: &str) -> Route {
        Route::new("GET", path)
    }

    pub fn post(path: &str) -> Route {
        Route::new("POST", path)
    }

    pub fn query(mut self, name: &str, value: &str) -> Route {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    pub fn without(mut self, name: &str) -> Route {
        self.absent.push(name.to_string());
        self
    }

    pub fn form(mut self, name: &str, value: &str) -> Route {
        self.form.push((name.to_string(), value.to_string()));
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Route {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    pub fn reply(mut self, reply: Reply) -> Route {
        self.replies.push(reply);
        self
    }

    fn matches(&self, req: &RecordedRequest) -> bool {
        let has = |pairs: &[(String, String)], name: &str, value: &str| {
            pairs
                .iter()
                .any(|(k, v)| k == name && (value == "*" || v == value))
        };
        self.method == req.method
            && self.path == req.path
            && self.query.iter().all(|(k, v)| has(&req.query, k, v))
            && self
                .absent
                .iter()
                .all(|k| !req.query.iter().any(|(q, _)| q == k))
            && self.form.iter().all(|(k, v)| has(&req.form, k, v))
    }

    fn authorised(&self, req: &RecordedRequest) -> bool {
        self.headers.iter().all(|(name, value)| {
            req.headers
                .iter()
                .any(|(k, v)| k == name && (value == "*" || v == value))
        })
    }
}

/// The whole fake vendor.
#[derive(Clone, Debug, Default)]
pub struct Script {
    pub routes: Vec<Route>,
}

impl Script {
    pub fn new() -> Script {
        Script::default()
    }

    pub fn route(mut self, route: Route) -> Script {
        self.routes.push(route);
        self
    }
}

/// A request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Decoded form fields when the body is form-encoded.
    pub form: Vec<(String, String)>,
    /// Index of the route that answered; `None` when no route matched.
    pub route: Option<usize>,
}

impl RecordedRequest {
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) struct State {
    script: Script,
    base_url: String,
    pub(crate) requests: Vec<RecordedRequest>,
}

impl State {
    pub(crate) fn new(script: Script, base_url: String) -> State {
        State {
            script,
            base_url,
            requests: Vec::new(),
        }
    }

    /// Picks the answer to `req` and records it.
    pub(crate) fn answer(&mut self, mut req: RecordedRequest) -> Reply {
        let found = self.script.routes.iter().position(|r| r.matches(&req));
        req.route = found;
        let reply = match found {
            None => Reply::json(
                404,
                format!(
                    "{{\"error\":\"replay: no route for {} {}\"}}",
                    req.method, req.path
                ),
            ),
            Some(i) => {
                let route = &mut self.script.routes[i];
                if !route.authorised(&req) {
                    Reply::json(401, "{\"error\":\"unauthorized\"}")
                } else if route.replies.is_empty() {
                    Reply::json(500, "{\"error\":\"replay: route without reply\"}")
                } else {
                    let r = route.replies[route.served.min(route.replies.len() - 1)].clone();
                    route.served += 1;
                    r
                }
            }
        };
        self.requests.push(req);
        Reply {
            body: reply.body.replace("{{base_url}}", &self.base_url),
            ..reply
        }
    }
}

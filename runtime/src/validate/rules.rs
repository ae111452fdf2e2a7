//! The built-in text rules: `email` and `url`.

/// Whether `text` looks like an email address: one `@`, a local part of 1 to
/// 64 characters without spaces, and a domain of dot-separated labels
/// (letters, digits, `-`, not at a label's ends) with at least two labels.
///
/// ```
/// assert!(corm::validate::is_email("ada@example.com"));
/// assert!(corm::validate::is_email("first.last+tag@sub.example.co"));
/// assert!(!corm::validate::is_email("ada@localhost"));
/// assert!(!corm::validate::is_email("ada example@example.com"));
/// assert!(!corm::validate::is_email("@example.com"));
/// ```
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.chars().count() <= 64
        && !local.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '@' | '<' | '>' | ',' | ';')
        });
    local_ok && is_domain(domain, 2)
}

/// Whether `text` is an `http` or `https` URL with a host (a domain name,
/// `localhost`, or an IP address in brackets or dotted form).
///
/// ```
/// assert!(corm::validate::is_url("https://example.com/a?b=c"));
/// assert!(corm::validate::is_url("http://localhost:8080"));
/// assert!(!corm::validate::is_url("ftp://example.com"));
/// assert!(!corm::validate::is_url("https://"));
/// assert!(!corm::validate::is_url("https://exa mple.com"));
/// ```
pub fn is_url(text: &str) -> bool {
    let rest = match text.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            rest
        }
        _ => return false,
    };
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        return bracketed
            .split_once(']')
            .is_some_and(|(ip, _)| ip.parse::<std::net::Ipv6Addr>().is_ok());
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) if port.parse::<u16>().is_ok() => host,
            Some(_) => return false,
            None => host_port,
        }
    };
    host == "localhost" || host.parse::<std::net::Ipv4Addr>().is_ok() || is_domain(host, 2)
}

/// Whether `name` is a domain name of at least `min_labels` labels.
fn is_domain(name: &str, min_labels: usize) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= min_labels
        && name.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

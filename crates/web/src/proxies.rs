//! The client's address behind reverse proxies: the TCP peer, unless the peer is one of the
//! proxies the settings trust (`trusted_proxies`), in which case the address the proxies
//! forwarded (`Forwarded: for=`, RFC 7239, else `X-Forwarded-For`).
//!
//! The forwarded list is read from the right (the hop nearest to this server) and the first
//! address that is not itself a trusted proxy is the client: whatever a client writes into
//! the header itself stays to the left of what the trusted proxies append, so it cannot pose
//! as another address. Headers are parsed strictly: anything malformed, or a hop given as
//! `unknown` or an obfuscated name where the client should be, leaves the peer as the
//! address (the safe fallback: at worst every client of that proxy shares a throttle).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use axum::http::HeaderMap;
use axum::http::header::FORWARDED;

/// One trusted proxy or network of them: `10.0.0.5`, `10.0.0.0/8`, `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNetwork {
    address: IpAddr,
    prefix: u8,
}

impl IpNetwork {
    /// Whether `ip` is in this network (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.address, ip.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(network) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(network), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(network) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for IpNetwork {
    type Err = String;

    fn from_str(text: &str) -> Result<IpNetwork, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address = address
            .parse::<IpAddr>()
            .map_err(|_| format!("`{text}` is not an IP address or network (CIDR)"))?
            .to_canonical();
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            // Digits only, no leading zero (`u8::from_str` would take `+8` and `08`).
            Some(digits) => match digits.parse::<u8>() {
                Ok(prefix)
                    if prefix <= bits && digits.bytes().all(|b| b.is_ascii_digit()) && prefix.to_string() == digits =>
                {
                    prefix
                }
                _ => return Err(format!("`{text}`: the prefix length must be 0 to {bits}")),
            },
        };
        Ok(IpNetwork { address, prefix })
    }
}

impl fmt::Display for IpNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// The reverse proxies whose forwarding headers are believed; empty (the default) trusts
/// no header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNetwork>);

impl TrustedProxies {
    /// These networks.
    pub fn new(networks: Vec<IpNetwork>) -> TrustedProxies {
        TrustedProxies(networks)
    }

    /// A list of addresses and networks separated by commas (`QPR_TRUSTED_PROXIES`).
    pub fn parse_list(text: &str) -> Result<TrustedProxies, String> {
        text.split(',')
            .filter(|item| !item.trim().is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `ip` is a trusted proxy.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(ip))
    }

    /// The client's address of a request that came from `peer` with `headers`.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let hops = if headers.contains_key(FORWARDED) {
            forwarded_hops(headers)
        } else if headers.contains_key("x-forwarded-for") {
            x_forwarded_for_hops(headers)
        } else {
            return peer;
        };
        let Some(hops) = hops else { return peer };
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop {
                Some(ip) if self.contains(*ip) => client = *ip,
                Some(ip) => return *ip,
                // `unknown` or an obfuscated name: who is behind it cannot be told.
                None => return peer,
            }
        }
        // Every hop is a trusted proxy (a request made by a proxy itself): the left-most.
        client
    }
}

/// The `for=` node of every element of the `Forwarded` headers, in order; `None` inside for
/// `unknown` and obfuscated nodes; `None` for the whole when a header is malformed.
fn forwarded_hops(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut hops = Vec::new();
    for value in headers.get_all(FORWARDED) {
        for element in parse_forwarded(value.to_str().ok()?)? {
            let mut node = None;
            for (name, value) in element {
                if name.eq_ignore_ascii_case("for") {
                    if node.is_some() {
                        return None;
                    }
                    node = Some(parse_node(&value)?);
                }
            }
            hops.push(node?);
        }
    }
    Some(hops)
}

/// The addresses of the `X-Forwarded-For` headers, in order; `None` when one is not an IP address.
fn x_forwarded_for_hops(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut hops = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        for item in value.to_str().ok()?.split(',') {
            hops.push(Some(item.trim_matches([' ', '\t']).parse::<IpAddr>().ok()?.to_canonical()));
        }
    }
    Some(hops)
}

/// A `Forwarded` header value (RFC 7239 section 4): elements separated by commas, each pairs
/// `token=value` separated by semicolons, a value a token or a quoted string.
fn parse_forwarded(text: &str) -> Option<Vec<Vec<(String, String)>>> {
    let mut elements = Vec::new();
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        skip_whitespace(&mut chars);
        let name: String = take_token(&mut chars);
        if name.is_empty() || chars.next() != Some('=') {
            return None;
        }
        let value = if chars.peek() == Some(&'"') {
            chars.next();
            let mut value = String::new();
            loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => value.push(chars.next()?),
                    c => value.push(c),
                }
            }
            value
        } else {
            take_token(&mut chars)
        };
        if value.is_empty() {
            return None;
        }
        pairs.push((name, value));
        skip_whitespace(&mut chars);
        match chars.next() {
            None => {
                elements.push(pairs);
                return Some(elements);
            }
            Some(';') => {}
            Some(',') => elements.push(std::mem::take(&mut pairs)),
            Some(_) => return None,
        }
    }
}

fn skip_whitespace(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
}

/// A token (RFC 7230 `tchar`s).
fn take_token(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut token = String::new();
    while let Some(c) = chars.next_if(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)) {
        token.push(c);
    }
    token
}

/// A `for=` node (RFC 7239 section 6): `192.0.2.43`, `192.0.2.43:47011`,
/// `[2001:db8:cafe::17]`, `[2001:db8:cafe::17]:4711`; `unknown` and obfuscated names
/// (`_hidden`) are `Some(None)`; anything else is `None`.
fn parse_node(node: &str) -> Option<Option<IpAddr>> {
    if node.eq_ignore_ascii_case("unknown") || node.starts_with('_') {
        return Some(None);
    }
    let (host, port) = if let Some(rest) = node.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            after => Some(after.strip_prefix(':')?),
        };
        (IpAddr::V6(host.parse::<Ipv6Addr>().ok()?), port)
    } else {
        let (host, port) = match node.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (node, None),
        };
        (IpAddr::V4(host.parse::<Ipv4Addr>().ok()?), port)
    };
    if let Some(port) = port {
        let obfuscated = port.starts_with('_') && port.len() > 1;
        let number = port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok();
        if !obfuscated && !number {
            return None;
        }
    }
    Some(Some(host.to_canonical()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        headers
    }

    fn proxies(list: &str) -> TrustedProxies {
        TrustedProxies::parse_list(list).unwrap()
    }

    #[test]
    fn networks_parse_strictly_and_match_their_addresses() {
        let list = proxies("10.0.0.0/8, 192.168.1.7 ,fd00::/8,::1");
        assert_eq!(list.0.len(), 4);
        for inside in ["10.1.2.3", "192.168.1.7", "fd12::1", "::1", "::ffff:10.9.9.9"] {
            assert!(list.contains(ip(inside)), "{inside}");
        }
        for outside in ["11.0.0.1", "192.168.1.8", "fe80::1", "::2", "127.0.0.1"] {
            assert!(!list.contains(ip(outside)), "{outside}");
        }
        assert!(proxies("0.0.0.0/0").contains(ip("203.0.113.9")));
        assert!(proxies("").is_empty());
        for bad in
            ["10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/+8", "10.0.0.0/08", "nginx", "10.0.0", "10.0.0.0/8/8"]
        {
            assert!(TrustedProxies::parse_list(bad).is_err(), "{bad}");
        }
        assert_eq!("10.0.0.0/8".parse::<IpNetwork>().unwrap().to_string(), "10.0.0.0/8");
    }

    #[test]
    fn a_header_from_an_untrusted_peer_is_ignored() {
        let spoofed = headers(&[("x-forwarded-for", "198.51.100.1"), ("forwarded", "for=198.51.100.2")]);
        assert_eq!(proxies("10.0.0.1").client_address(ip("203.0.113.5"), &spoofed), ip("203.0.113.5"));
        assert_eq!(
            TrustedProxies::default().client_address(ip("10.0.0.1"), &spoofed),
            ip("10.0.0.1"),
            "no proxy trusted"
        );
    }

    #[test]
    fn a_trusted_proxy_gives_the_right_most_address_that_is_not_a_proxy() {
        let trusted = proxies("10.0.0.0/8");
        let peer = ip("10.0.0.1");
        let one = |pairs: &[(&str, &str)]| trusted.client_address(peer, &headers(pairs));
        assert_eq!(one(&[("x-forwarded-for", "198.51.100.7")]), ip("198.51.100.7"));
        // The client wrote its own header; the proxies appended the real address and their own.
        assert_eq!(one(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.2")]), ip("198.51.100.7"));
        assert_eq!(
            one(&[("x-forwarded-for", "1.2.3.4"), ("x-forwarded-for", "198.51.100.7,10.0.0.2")]),
            ip("198.51.100.7")
        );
        assert_eq!(
            one(&[("forwarded", "for=1.2.3.4, for=198.51.100.7;proto=https;by=10.0.0.1, for=10.0.0.2")]),
            ip("198.51.100.7")
        );
        assert_eq!(
            one(&[("Forwarded", "For=\"198.51.100.7:4711\""), ("forwarded", "for=10.0.0.3")]),
            ip("198.51.100.7")
        );
        // Forwarded wins over X-Forwarded-For when both are there.
        assert_eq!(one(&[("forwarded", "for=198.51.100.8"), ("x-forwarded-for", "198.51.100.9")]), ip("198.51.100.8"));
        // Only proxies in the chain: the left-most; no header: the peer.
        assert_eq!(one(&[("x-forwarded-for", "10.0.0.3, 10.0.0.2")]), ip("10.0.0.3"));
        assert_eq!(one(&[]), peer);
    }

    #[test]
    fn ipv6_clients_and_proxies() {
        let trusted = proxies("fd00::/8");
        let peer = ip("fd00::1");
        let one = |pairs: &[(&str, &str)]| trusted.client_address(peer, &headers(pairs));
        assert_eq!(one(&[("forwarded", "for=\"[2001:db8:cafe::17]:4711\"")]), ip("2001:db8:cafe::17"));
        assert_eq!(one(&[("forwarded", "for=\"[2001:db8:cafe::17]\", for=\"[fd00::2]\"")]), ip("2001:db8:cafe::17"));
        assert_eq!(one(&[("x-forwarded-for", "2001:db8::5, fd00::3")]), ip("2001:db8::5"));
        assert_eq!(one(&[("x-forwarded-for", "::ffff:198.51.100.7")]), ip("198.51.100.7"), "IPv4-mapped is IPv4");
        // A peer given as an IPv4-mapped address is matched as IPv4.
        assert_eq!(
            proxies("10.0.0.1").client_address(ip("::ffff:10.0.0.1"), &headers(&[("x-forwarded-for", "2001:db8::5")])),
            { ip("2001:db8::5") }
        );
    }

    #[test]
    fn a_malformed_header_leaves_the_peer() {
        let trusted = proxies("10.0.0.1");
        let peer = ip("10.0.0.1");
        for (name, value) in [
            ("forwarded", "for=2001:db8::1"),
            ("forwarded", "for=[2001:db8::1]"),
            ("forwarded", "for=\"[2001:db8::1\""),
            ("forwarded", "for=\"198.51.100.7:port\""),
            ("forwarded", "for=\"198.51.100.7:99999\""),
            ("forwarded", "for=198.51.100.7;for=198.51.100.8"),
            ("forwarded", "proto=https"),
            ("forwarded", "for="),
            ("forwarded", "for=\"198.51.100.7"),
            ("forwarded", "for=198.51.100.7,"),
            ("forwarded", "for=198.51.100.7 junk"),
            ("forwarded", "198.51.100.7"),
            ("forwarded", "for=unknown"),
            ("forwarded", "for=_hidden, for=10.0.0.1"),
            ("forwarded", "for=example.org"),
            ("x-forwarded-for", "198.51.100.7, garbage"),
            ("x-forwarded-for", ""),
            ("x-forwarded-for", "198.51.100.7:443"),
            ("x-forwarded-for", "198.51.100.7,,10.0.0.1"),
        ] {
            assert_eq!(trusted.client_address(peer, &headers(&[(name, value)])), peer, "{name}: {value}");
        }
        // An unknown hop to the left of the client does not matter.
        let behind = headers(&[("forwarded", "for=unknown, for=198.51.100.7")]);
        assert_eq!(trusted.client_address(peer, &behind), ip("198.51.100.7"));
        // Not UTF-8.
        let mut binary = HeaderMap::new();
        binary.insert("x-forwarded-for", HeaderValue::from_bytes(b"198.51.100.7\xff").unwrap());
        assert_eq!(trusted.client_address(peer, &binary), peer);
    }
}

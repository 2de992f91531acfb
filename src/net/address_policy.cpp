#include "net/address_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>

#include "core/text.hpp"

namespace hark::net {
namespace {

std::string_view strip_trailing_dot(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return host;
}

// One inet_aton() component: "0x" hex, leading-zero octal, or decimal.
std::optional<std::uint64_t> parse_ipv4_part(std::string_view part) {
  if (part.empty()) return std::nullopt;
  int base = 10;
  if (part.size() > 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
  } else if (part.size() > 1 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  if (part.size() > 12) return std::nullopt;  // far beyond 32 bits in any base
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value, base);
  if (ec != std::errc{} || end != part.data() + part.size()) return std::nullopt;
  return value;
}

// The forms inet_aton() (and so getaddrinfo()) accepts: a, a.b, a.b.c, a.b.c.d where the
// last part fills the remaining bytes. "http://2130706433/" is 127.0.0.1.
std::optional<IpAddress> parse_ipv4(std::string_view host) {
  const auto parts = text::split(host, '.');
  if (parts.empty() || parts.size() > 4) return std::nullopt;
  std::uint64_t address = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto value = parse_ipv4_part(parts[i]);
    if (!value) return std::nullopt;
    const bool last = i + 1 == parts.size();
    const int bits = last ? 8 * static_cast<int>(4 - i) : 8;
    if (*value >= (std::uint64_t{1} << bits)) return std::nullopt;
    address |= last ? *value : *value << (8 * (3 - i));
  }
  return IpAddress::v4(static_cast<std::uint8_t>(address >> 24),
                       static_cast<std::uint8_t>(address >> 16),
                       static_cast<std::uint8_t>(address >> 8), static_cast<std::uint8_t>(address));
}

std::optional<IpAddress> parse_ipv6(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (const auto zone = host.find('%'); zone != std::string_view::npos) host = host.substr(0, zone);
  if (host.find(':') == std::string_view::npos) return std::nullopt;
  const std::string text(host);
  IpAddress address;
  address.family = IpAddress::Family::V6;
  if (inet_pton(AF_INET6, text.c_str(), address.bytes.data()) != 1) return std::nullopt;
  return address;
}

bool prefix_is(const std::array<std::uint8_t, 16>& bytes, std::initializer_list<std::uint8_t> p) {
  return std::equal(p.begin(), p.end(), bytes.begin());
}

bool all_zero(const std::uint8_t* begin, const std::uint8_t* end) {
  return std::all_of(begin, end, [](std::uint8_t b) { return b == 0; });
}

AddressKind classify_v4(const std::uint8_t* b) {
  if (b[0] == 0) return AddressKind::Unspecified;
  if (b[0] == 127) return AddressKind::Loopback;
  if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168))
    return AddressKind::Private;
  if (b[0] == 192 && b[1] == 0 && b[2] == 0) return AddressKind::Private;
  if (b[0] == 100 && (b[1] & 0xC0) == 64) return AddressKind::SharedNat;
  if (b[0] == 169 && b[1] == 254) return AddressKind::LinkLocal;
  if (b[0] == 198 && (b[1] & 0xFE) == 18) return AddressKind::Reserved;
  if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255) return AddressKind::Broadcast;
  if ((b[0] & 0xF0) == 224) return AddressKind::Multicast;
  if ((b[0] & 0xF0) == 240) return AddressKind::Reserved;
  return AddressKind::Public;
}

// The IPv4 address an IPv6 address forwards to, if it is one of the embedding forms.
const std::uint8_t* embedded_v4(const std::array<std::uint8_t, 16>& b) {
  const bool first_80_zero = all_zero(b.data(), b.data() + 10);
  if (first_80_zero && b[10] == 0xFF && b[11] == 0xFF) return b.data() + 12;  // ::ffff:a.b.c.d
  // ::a.b.c.d (deprecated "compatible" form); ::1 and :: are handled before this.
  if (first_80_zero && b[10] == 0 && b[11] == 0) return b.data() + 12;
  if (prefix_is(b, {0x00, 0x64, 0xFF, 0x9B}) && all_zero(b.data() + 4, b.data() + 12))
    return b.data() + 12;                               // NAT64 64:ff9b::/96
  if (prefix_is(b, {0x20, 0x02})) return b.data() + 2;  // 6to4 2002:aabb:ccdd::/48
  return nullptr;
}

AddressKind classify_v6(const std::array<std::uint8_t, 16>& b) {
  if (all_zero(b.data(), b.data() + 15)) {
    return b[15] == 1 ? AddressKind::Loopback
                      : (b[15] == 0 ? AddressKind::Unspecified : classify_v4(b.data() + 12));
  }
  if (const auto* v4 = embedded_v4(b)) return classify_v4(v4);
  if (prefix_is(b, {0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01}))
    return AddressKind::Private;  // 64:ff9b:1::/48, local-use NAT64
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return AddressKind::LinkLocal;
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return AddressKind::Private;  // site-local
  if ((b[0] & 0xFE) == 0xFC) return AddressKind::UniqueLocal;
  if (b[0] == 0xFF) return AddressKind::Multicast;
  if (prefix_is(b, {0x01, 0x00, 0, 0, 0, 0, 0, 0})) return AddressKind::Reserved;  // discard-only
  return AddressKind::Public;
}

// Lower case, no brackets, no trailing dot, and IP literals in their canonical form, so
// that "LAN-Box.", "lan-box" and "[::1]"/"::1" compare equal.
std::string normalize_host(std::string_view host) {
  host = strip_trailing_dot(host);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (const auto ip = parse_ip_literal(host)) return ip->to_string();
  return text::to_lower_ascii(host);
}

}  // namespace

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress address;
  address.bytes[0] = a;
  address.bytes[1] = b;
  address.bytes[2] = c;
  address.bytes[3] = d;
  return address;
}

std::optional<IpAddress> IpAddress::from_sockaddr(const sockaddr* address) {
  if (address == nullptr) return std::nullopt;
  IpAddress ip;
  if (address->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof in);
    std::memcpy(ip.bytes.data(), &in.sin_addr, 4);
    return ip;
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, address, sizeof in6);
    ip.family = Family::V6;
    std::memcpy(ip.bytes.data(), &in6.sin6_addr, 16);
    return ip;
  }
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  const int af = family == Family::V4 ? AF_INET : AF_INET6;
  if (inet_ntop(af, bytes.data(), buffer, sizeof buffer) == nullptr) return "?";
  return buffer;
}

std::optional<IpAddress> parse_ip_literal(std::string_view host) {
  host = strip_trailing_dot(host);
  if (host.empty()) return std::nullopt;
  if (auto v6 = parse_ipv6(host)) return v6;
  return parse_ipv4(host);
}

AddressKind classify(const IpAddress& address) {
  return address.family == IpAddress::Family::V4 ? classify_v4(address.bytes.data())
                                                 : classify_v6(address.bytes);
}

std::string_view describe(AddressKind kind) {
  switch (kind) {
    case AddressKind::Public:
      return "a public address";
    case AddressKind::Loopback:
      return "a loopback address";
    case AddressKind::Unspecified:
      return "an unspecified address";
    case AddressKind::Private:
      return "a private network address";
    case AddressKind::SharedNat:
      return "a carrier-grade NAT address";
    case AddressKind::LinkLocal:
      return "a link-local address";
    case AddressKind::UniqueLocal:
      return "a unique local IPv6 address";
    case AddressKind::Multicast:
      return "a multicast address";
    case AddressKind::Broadcast:
      return "the broadcast address";
    case AddressKind::Reserved:
      return "a reserved address";
  }
  return "an unknown kind of address";
}

bool is_localhost_name(std::string_view host) {
  const std::string h = text::to_lower_ascii(strip_trailing_dot(host));
  return h == "localhost" || h.ends_with(".localhost");
}

AddressGuard::AddressGuard(const Policy& policy) : allow_private_(policy.allow_private_networks) {
  for (const auto& raw : policy.allowed_private_hosts) {
    std::string_view entry = text::trim(raw);
    AllowEntry allow;
    // "[v6]:port", "host:port"; an entry with several colons and no brackets is a bare IPv6.
    const auto colon = entry.rfind(':');
    const bool bracketed = entry.starts_with('[');
    const bool has_port = colon != std::string_view::npos &&
                          (bracketed ? entry.find("]:") == colon - 1 : entry.find(':') == colon);
    if (has_port) {
      const auto port_text = entry.substr(colon + 1);
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), allow.port);
      entry = entry.substr(0, colon);
    }
    allow.host = normalize_host(entry);
    if (!allow.host.empty()) allowed_.push_back(std::move(allow));
  }
}

bool AddressGuard::host_allowlisted(std::string_view host, int port) const {
  const std::string h = normalize_host(host);
  for (const auto& entry : allowed_) {
    if (entry.host == h && (entry.port == 0 || entry.port == port)) return true;
  }
  return false;
}

bool AddressGuard::allows(std::string_view host, int port, const IpAddress& address) const {
  if (allow_private_ || classify(address) == AddressKind::Public) return true;
  // An allowlisted address literal permits any name that resolves to it: the same
  // machine could be fetched by its address directly anyway.
  return host_allowlisted(host, port) || host_allowlisted(address.to_string(), port);
}

Status AddressGuard::precheck(std::string_view url, std::string_view host, int port) const {
  if (allow_private_ || host_allowlisted(host, port)) return ok();
  if (is_localhost_name(host)) return private_address_error(url);
  if (const auto ip = parse_ip_literal(host); ip && !allows(host, port, *ip))
    return private_address_error(url);
  return ok();
}

Error private_address_error(std::string_view url) {
  return forbidden("refusing to fetch " + std::string(url) +
                   ": it points to a private network address (allow private networks in the "
                   "configuration to permit this)");
}

}  // namespace hark::net

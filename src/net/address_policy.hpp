// The SSRF guard's pure half: IP address parsing and classification, and the decision
// whether a host/address may be contacted under a Policy. No I/O and no DNS: the curl
// client calls AddressGuard::allows() with every address it is about to connect to (so
// DNS rebinding cannot slip past) and AddressGuard::precheck() before a request starts
// (so literal addresses and `localhost` get a clear error without a connection attempt).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "net/http_client.hpp"

struct sockaddr;

namespace hark::net {

// An IPv4 or IPv6 address. IPv4 uses bytes[0..3]; the rest are zero.
struct IpAddress {
  enum class Family { V4, V6 };
  Family family = Family::V4;
  std::array<std::uint8_t, 16> bytes{};

  static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
  // From a connected or about-to-connect socket address (AF_INET / AF_INET6 only).
  static std::optional<IpAddress> from_sockaddr(const sockaddr* address);
  // "127.0.0.1", "::1" (RFC 5952 form).
  std::string to_string() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// Parses a host that is an IP literal: dotted IPv4 in every form inet_aton() accepts
// (decimal "2130706433", octal "0177.0.0.1", hex "0x7f.1", short "127.1"), IPv6 with or
// without brackets (a zone id "%eth0" is ignored), and a trailing dot ("127.0.0.1.").
// Returns nullopt for host names.
std::optional<IpAddress> parse_ip_literal(std::string_view host);

enum class AddressKind {
  Public,
  Loopback,     // 127/8, ::1
  Unspecified,  // 0.0.0.0, ::  (and the rest of 0/8, "this network")
  Private,      // RFC 1918, 192.0.0/24 (IETF protocol assignments), fec0::/10
  SharedNat,    // 100.64/10 (carrier-grade NAT)
  LinkLocal,    // 169.254/16 (incl. cloud metadata 169.254.169.254), fe80::/10
  UniqueLocal,  // fc00::/7
  Multicast,    // 224/4, ff00::/8
  Broadcast,    // 255.255.255.255
  Reserved,     // 198.18/15 (benchmarking), 240/4
};

// Classifies an address. IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d,
// compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are classified by that
// IPv4 address, because that is where the packets end up.
AddressKind classify(const IpAddress& address);
// "a loopback address", "a link-local address", ...
std::string_view describe(AddressKind kind);

// True for `localhost`, `*.localhost` (RFC 6761: always loopback), with or without a
// trailing dot, in any case.
bool is_localhost_name(std::string_view host);

// Applies a Policy's network rules. Immutable after construction, so one guard may be
// shared by any number of threads.
class AddressGuard {
 public:
  explicit AddressGuard(const Policy& policy);

  // Before connecting: refuses literal private addresses and localhost names unless the
  // policy allows them. `host` is the URL's host (IPv6 with or without brackets), `port`
  // the effective port. `url` only appears in the error message.
  Status precheck(std::string_view url, std::string_view host, int port) const;
  // At connect time: may a socket to `address` be opened for a request to host:port?
  bool allows(std::string_view host, int port, const IpAddress& address) const;
  // True when the policy lets host:port reach private addresses (LAN allowlist).
  bool host_allowlisted(std::string_view host, int port) const;

 private:
  struct AllowEntry {
    std::string host;  // lower case, no brackets, no trailing dot
    int port = 0;      // 0: any port
  };
  bool allow_private_ = false;
  std::vector<AllowEntry> allowed_;
};

// The error for a refused destination; `url` is the URL the user will recognise.
Error private_address_error(std::string_view url);

}  // namespace hark::net

#include "net/address_policy.hpp"

#include <gtest/gtest.h>

namespace hark::net {
namespace {

AddressKind kind_of(std::string_view host) {
  const auto ip = parse_ip_literal(host);
  EXPECT_TRUE(ip.has_value()) << host;
  return ip ? classify(*ip) : AddressKind::Public;
}

TEST(ParseIpLiteral, DottedQuad) {
  const auto ip = parse_ip_literal("192.168.1.20");
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->to_string(), "192.168.1.20");
  EXPECT_EQ(ip->family, IpAddress::Family::V4);
}

TEST(ParseIpLiteral, InetAtonFormsThatResolversAccept) {
  EXPECT_EQ(parse_ip_literal("2130706433")->to_string(), "127.0.0.1");
  EXPECT_EQ(parse_ip_literal("0177.0.0.1")->to_string(), "127.0.0.1");
  EXPECT_EQ(parse_ip_literal("0x7f.0.0.1")->to_string(), "127.0.0.1");
  EXPECT_EQ(parse_ip_literal("0x7f000001")->to_string(), "127.0.0.1");
  EXPECT_EQ(parse_ip_literal("127.1")->to_string(), "127.0.0.1");
  EXPECT_EQ(parse_ip_literal("10.1.2")->to_string(), "10.1.0.2");
  EXPECT_EQ(parse_ip_literal("127.0.0.1.")->to_string(), "127.0.0.1");
  EXPECT_EQ(parse_ip_literal("017700000001")->to_string(), "127.0.0.1");
}

TEST(ParseIpLiteral, RejectsHostNamesAndOutOfRangeParts) {
  EXPECT_FALSE(parse_ip_literal("example.com"));
  EXPECT_FALSE(parse_ip_literal("feeds.example"));
  EXPECT_FALSE(parse_ip_literal("1.2.3.4.5"));
  EXPECT_FALSE(parse_ip_literal("256.1.1.1"));
  EXPECT_FALSE(parse_ip_literal("1.2.3.256"));
  EXPECT_FALSE(parse_ip_literal("4294967296"));
  EXPECT_FALSE(parse_ip_literal("08.1.1.1"));  // 8 is not an octal digit
  EXPECT_FALSE(parse_ip_literal("0x"));
  EXPECT_FALSE(parse_ip_literal("1..2"));
  EXPECT_FALSE(parse_ip_literal(""));
  EXPECT_FALSE(parse_ip_literal("[not:an:address]"));
}

TEST(ParseIpLiteral, Ipv6WithAndWithoutBracketsAndZone) {
  EXPECT_EQ(parse_ip_literal("::1")->to_string(), "::1");
  EXPECT_EQ(parse_ip_literal("[::1]")->to_string(), "::1");
  EXPECT_EQ(parse_ip_literal("fe80::1%eth0")->to_string(), "fe80::1");
  EXPECT_EQ(parse_ip_literal("[2001:DB8::A]")->to_string(), "2001:db8::a");
  EXPECT_EQ(parse_ip_literal("[::1]")->family, IpAddress::Family::V6);
}

TEST(Classify, Loopback) {
  EXPECT_EQ(kind_of("127.0.0.1"), AddressKind::Loopback);
  EXPECT_EQ(kind_of("127.255.255.254"), AddressKind::Loopback);
  EXPECT_EQ(kind_of("::1"), AddressKind::Loopback);
}

TEST(Classify, Unspecified) {
  EXPECT_EQ(kind_of("0.0.0.0"), AddressKind::Unspecified);
  EXPECT_EQ(kind_of("0.1.2.3"), AddressKind::Unspecified);
  EXPECT_EQ(kind_of("::"), AddressKind::Unspecified);
}

TEST(Classify, Rfc1918WithBoundaries) {
  EXPECT_EQ(kind_of("10.0.0.5"), AddressKind::Private);
  EXPECT_EQ(kind_of("10.255.255.255"), AddressKind::Private);
  EXPECT_EQ(kind_of("172.16.0.1"), AddressKind::Private);
  EXPECT_EQ(kind_of("172.31.255.255"), AddressKind::Private);
  EXPECT_EQ(kind_of("172.15.255.255"), AddressKind::Public);
  EXPECT_EQ(kind_of("172.32.0.0"), AddressKind::Public);
  EXPECT_EQ(kind_of("192.168.0.1"), AddressKind::Private);
  EXPECT_EQ(kind_of("192.169.0.1"), AddressKind::Public);
  EXPECT_EQ(kind_of("11.0.0.1"), AddressKind::Public);
}

TEST(Classify, SharedNatLinkLocalAndMetadata) {
  EXPECT_EQ(kind_of("100.64.0.1"), AddressKind::SharedNat);
  EXPECT_EQ(kind_of("100.127.255.255"), AddressKind::SharedNat);
  EXPECT_EQ(kind_of("100.63.255.255"), AddressKind::Public);
  EXPECT_EQ(kind_of("100.128.0.0"), AddressKind::Public);
  EXPECT_EQ(kind_of("169.254.169.254"), AddressKind::LinkLocal);
  EXPECT_EQ(kind_of("169.254.0.1"), AddressKind::LinkLocal);
  EXPECT_EQ(kind_of("fe80::1"), AddressKind::LinkLocal);
  EXPECT_EQ(kind_of("febf::1"), AddressKind::LinkLocal);
}

TEST(Classify, SpecialPurposeIpv4) {
  EXPECT_EQ(kind_of("192.0.0.8"), AddressKind::Private);
  EXPECT_EQ(kind_of("192.0.1.1"), AddressKind::Public);
  EXPECT_EQ(kind_of("198.18.0.1"), AddressKind::Reserved);
  EXPECT_EQ(kind_of("198.19.255.255"), AddressKind::Reserved);
  EXPECT_EQ(kind_of("198.20.0.0"), AddressKind::Public);
  EXPECT_EQ(kind_of("240.0.0.1"), AddressKind::Reserved);
  EXPECT_EQ(kind_of("255.255.255.254"), AddressKind::Reserved);
  EXPECT_EQ(kind_of("255.255.255.255"), AddressKind::Broadcast);
  EXPECT_EQ(kind_of("224.0.0.1"), AddressKind::Multicast);
  EXPECT_EQ(kind_of("239.255.255.250"), AddressKind::Multicast);
}

TEST(Classify, Ipv6Ranges) {
  EXPECT_EQ(kind_of("fc00::1"), AddressKind::UniqueLocal);
  EXPECT_EQ(kind_of("fd12:3456::1"), AddressKind::UniqueLocal);
  EXPECT_EQ(kind_of("fec0::1"), AddressKind::Private);
  EXPECT_EQ(kind_of("ff02::1"), AddressKind::Multicast);
  EXPECT_EQ(kind_of("2606:4700::1111"), AddressKind::Public);
  EXPECT_EQ(kind_of("2001:db8::1"), AddressKind::Public);
}

TEST(Classify, Ipv6FormsCarryingIpv4AreJudgedByTheIpv4) {
  EXPECT_EQ(kind_of("::ffff:127.0.0.1"), AddressKind::Loopback);
  EXPECT_EQ(kind_of("::ffff:7f00:1"), AddressKind::Loopback);
  EXPECT_EQ(kind_of("::ffff:10.0.0.5"), AddressKind::Private);
  EXPECT_EQ(kind_of("::ffff:169.254.169.254"), AddressKind::LinkLocal);
  EXPECT_EQ(kind_of("::ffff:8.8.8.8"), AddressKind::Public);
  EXPECT_EQ(kind_of("::127.0.0.1"), AddressKind::Loopback);  // IPv4-compatible
  EXPECT_EQ(kind_of("::192.168.0.1"), AddressKind::Private);
  EXPECT_EQ(kind_of("64:ff9b::10.0.0.1"), AddressKind::Private);  // NAT64
  EXPECT_EQ(kind_of("64:ff9b::8.8.8.8"), AddressKind::Public);
  EXPECT_EQ(kind_of("2002:c0a8:0101::1"), AddressKind::Private);  // 6to4 of 192.168.1.1
  EXPECT_EQ(kind_of("2002:0808:0808::1"), AddressKind::Public);
}

TEST(LocalhostName, MatchesRfc6761Names) {
  EXPECT_TRUE(is_localhost_name("localhost"));
  EXPECT_TRUE(is_localhost_name("LocalHost."));
  EXPECT_TRUE(is_localhost_name("api.localhost"));
  EXPECT_FALSE(is_localhost_name("localhost.example.com"));
  EXPECT_FALSE(is_localhost_name("notlocalhost"));
}

Policy strict() {
  return Policy{};
}

TEST(AddressGuard, PrecheckRefusesPrivateLiteralsAndLocalhost) {
  const AddressGuard guard(strict());
  for (const char* host :
       {"127.0.0.1", "2130706433", "0177.0.0.1", "::ffff:127.0.0.1", "[::1]", "localhost",
        "localhost.", "127.0.0.1.", "10.0.0.5", "169.254.169.254", "0.0.0.0", "[fd00::1]"}) {
    const auto status = guard.precheck("http://x/", host, 80);
    ASSERT_FALSE(status) << host;
    EXPECT_EQ(status.error().code, ErrorCode::Forbidden) << host;
  }
}

TEST(AddressGuard, PrecheckPassesNamesAndPublicLiterals) {
  const AddressGuard guard(strict());
  EXPECT_TRUE(guard.precheck("http://x/", "feeds.example.com", 80));
  EXPECT_TRUE(guard.precheck("http://x/", "93.184.216.34", 80));
  EXPECT_TRUE(guard.precheck("http://x/", "2606:4700::1111", 443));
}

TEST(AddressGuard, ErrorMessageNamesTheUrlAndTheFix) {
  const AddressGuard guard(strict());
  const auto status = guard.precheck("http://10.0.0.5/feed", "10.0.0.5", 80);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "refusing to fetch http://10.0.0.5/feed: it points to a private network address "
            "(allow private networks in the configuration to permit this)");
}

TEST(AddressGuard, AllowPrivateNetworksAllowsEverything) {
  Policy policy;
  policy.allow_private_networks = true;
  const AddressGuard guard(policy);
  EXPECT_TRUE(guard.precheck("http://x/", "localhost", 80));
  EXPECT_TRUE(guard.allows("x", 80, *parse_ip_literal("169.254.169.254")));
}

TEST(AddressGuard, ConnectTimeCheckRefusesPrivateAddressesBehindPublicNames) {
  const AddressGuard guard(strict());
  EXPECT_FALSE(guard.allows("rebind.example.com", 80, *parse_ip_literal("127.0.0.1")));
  EXPECT_FALSE(guard.allows("rebind.example.com", 80, *parse_ip_literal("::ffff:10.1.1.1")));
  EXPECT_TRUE(guard.allows("feeds.example.com", 80, *parse_ip_literal("93.184.216.34")));
}

TEST(AddressGuard, AllowlistByHostAndByHostPort) {
  Policy policy;
  policy.allowed_private_hosts = {"NAS.lan", "192.168.1.10:8080", "[fd00::5]:443", "::1"};
  const AddressGuard guard(policy);
  const auto lan = *parse_ip_literal("192.168.1.10");
  EXPECT_TRUE(guard.allows("nas.lan.", 80, lan));
  EXPECT_TRUE(guard.allows("nas.lan", 9999, lan));
  EXPECT_TRUE(guard.allows("192.168.1.10", 8080, lan));
  EXPECT_FALSE(guard.allows("192.168.1.10", 80, lan));
  // An allowlisted address permits a name resolving to it, on the listed port only.
  EXPECT_TRUE(guard.allows("printer.lan", 8080, lan));
  EXPECT_FALSE(guard.allows("printer.lan", 80, lan));
  EXPECT_TRUE(guard.allows("fd00::5", 443, *parse_ip_literal("fd00::5")));
  EXPECT_FALSE(guard.allows("fd00::5", 80, *parse_ip_literal("fd00::5")));
  EXPECT_TRUE(guard.precheck("http://[::1]:1/", "[::1]", 1));
  EXPECT_FALSE(guard.precheck("http://127.0.0.1/", "127.0.0.1", 80));
  EXPECT_TRUE(guard.host_allowlisted("0xc0.0xa8.1.10", 8080));  // same address, other spelling
}

}  // namespace
}  // namespace hark::net

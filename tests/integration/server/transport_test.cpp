// The HTTP transport's listening socket, on loopback: the accept backlog holds a burst of
// connections (cpp-httplib's own backlog of 5 dropped the handshakes of the rest, which
// showed as 1-7 s stalls in the load test), and a port in use is refused.
#include "server/transport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

namespace hark::server {
namespace {

Response hello(const Request&) {
  Response r;
  r.body = "{}";
  return r;
}

TransportOptions loopback_any_port() {
  TransportOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 1;
  return o;
}

// Starts a non-blocking connect to 127.0.0.1:port; returns the socket.
int start_connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  return fd;
}

// A connection whose handshake completed is writable without a socket error.
bool connected(int fd) {
  pollfd p{fd, POLLOUT, 0};
  if (::poll(&p, 1, 0) != 1 || (p.revents & POLLOUT) == 0) return false;
  int err = 0;
  socklen_t len = sizeof(err);
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  return err == 0;
}

TEST(TransportTest, TheBacklogHoldsABurstOfConnectionsNotYetAccepted) {
  // Bound but not serving: nothing accepts, so every handshake the kernel completes waits
  // in the backlog. With a backlog of 5 only ~6 of 64 complete; the rest are dropped
  // and would be retried after a second.
  Transport transport(loopback_any_port(), hello);
  auto port = transport.bind();
  ASSERT_TRUE(port) << port.error().message;
  constexpr int kConnections = 64;
  std::vector<int> fds;
  for (int i = 0; i < kConnections; ++i) {
    const int fd = start_connect(*port);
    ASSERT_GE(fd, 0);
    fds.push_back(fd);
  }
  int done = 0;
  for (int waited = 0; waited < 500 && done < kConnections; waited += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    done = 0;
    for (int fd : fds) done += connected(fd) ? 1 : 0;
  }
  for (int fd : fds) ::close(fd);
  EXPECT_EQ(done, kConnections) << "connections completed within 0.5 s while none was accepted";
}

TEST(TransportTest, APortInUseIsRefused) {
  Transport first(loopback_any_port(), hello);
  auto port = first.bind();
  ASSERT_TRUE(port) << port.error().message;
  auto options = loopback_any_port();
  options.port = *port;
  Transport second(options, hello);
  auto again = second.bind();
  ASSERT_FALSE(again) << "a second server bound port " << *port << " as well";
  EXPECT_NE(again.error().message.find("in use"), std::string::npos) << again.error().message;
}

}  // namespace
}  // namespace hark::server

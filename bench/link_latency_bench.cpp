// Call round-trip latency over link_pair (a local socketpair, the full io + link + object
// stack) against a raw socketpair ping-pong of the same payload size in the same run. The
// counter `ratio` = link round trip / raw round trip; `raw_us` is the raw round trip.
#include <benchmark/benchmark.h>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "io/connection.hpp"
#include "object/external.hpp"

namespace {

using Clock = std::chrono::steady_clock;

class BenchGateway : public versile::External {
 public:
  BenchGateway() {
    publish("noop", [] {});
    publish("echo", [](versile::Entity v) { return v; });
  }
};

void write_all(int fd, const std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w <= 0) throw std::runtime_error("write");
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

bool read_all(int fd, std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const ssize_t r = ::read(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

// Mean round trip (ns) of `rounds` blocking ping-pongs of `size` bytes over a socketpair, with
// an echo thread on the far end (the same thread handoff a link call has).
double raw_round_trip_ns(std::size_t size, int rounds) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair");
  std::thread echo([fd = fds[1], size] {
    std::vector<std::uint8_t> buf(size);
    while (read_all(fd, buf.data(), size)) write_all(fd, buf.data(), size);
  });
  std::vector<std::uint8_t> msg(size, 0x5a);
  for (int i = 0; i < 100; ++i) {  // warm-up
    write_all(fds[0], msg.data(), size);
    read_all(fds[0], msg.data(), size);
  }
  const auto t0 = Clock::now();
  for (int i = 0; i < rounds; ++i) {
    write_all(fds[0], msg.data(), size);
    read_all(fds[0], msg.data(), size);
  }
  const auto t1 = Clock::now();
  ::shutdown(fds[0], SHUT_WR);
  echo.join();
  ::close(fds[0]);
  ::close(fds[1]);
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / rounds;
}

// Wire bytes of one call + reply, roughly: the raw ping-pong moves the call's size each way.
void run_link_calls(benchmark::State& state, const char* method, const versile::Entity* arg,
                    std::size_t raw_size) {
  auto [client, server] = versile::link_pair(nullptr, std::make_shared<BenchGateway>());
  versile::Proxy gw = client->peer_gw();
  for (int i = 0; i < 200; ++i) arg ? gw.call(method, *arg) : gw.call(method);  // warm-up
  std::int64_t n = 0;
  const auto t0 = Clock::now();
  for (auto _ : state) {
    benchmark::DoNotOptimize(arg ? gw.call(method, *arg) : gw.call(method));
    ++n;
  }
  const auto t1 = Clock::now();
  client->shutdown();
  client->wait_closed(std::chrono::seconds(5));
  server->wait_closed(std::chrono::seconds(5));
  const double link_ns = std::chrono::duration<double, std::nano>(t1 - t0).count() /
                         static_cast<double>(std::max<std::int64_t>(1, n));
  const double raw_ns = raw_round_trip_ns(raw_size, static_cast<int>(std::min<std::int64_t>(
                                                        std::max<std::int64_t>(n, 1000), 20000)));
  state.counters["link_us"] = link_ns / 1000.0;
  state.counters["raw_us"] = raw_ns / 1000.0;
  state.counters["ratio"] = link_ns / raw_ns;
}

void BM_LinkCallEmpty(benchmark::State& state) {
  // METHOD_CALL of "noop" is 18 bytes on the wire, its CALL_RESULT 7.
  run_link_calls(state, "noop", nullptr, 18);
}
BENCHMARK(BM_LinkCallEmpty)->UseRealTime()->MinTime(1.0);

void BM_LinkCallEcho1KiB(benchmark::State& state) {
  const versile::Entity payload{versile::Bytes(std::vector<std::uint8_t>(1024, 0xab))};
  // METHOD_CALL echo(1 KiB bytes) ≈ 1045 bytes, the reply ≈ 1033.
  run_link_calls(state, "echo", &payload, 1040);
}
BENCHMARK(BM_LinkCallEcho1KiB)->UseRealTime()->MinTime(1.0);

void BM_RawSocketpairPingPong(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  double ns = 0;
  for (auto _ : state) {
    state.PauseTiming();
    state.ResumeTiming();
    ns = raw_round_trip_ns(size, 2000);
    state.SetIterationTime(ns * 2000 / 1e9);
  }
  state.counters["raw_us"] = ns / 1000.0;
}
BENCHMARK(BM_RawSocketpairPingPong)->Arg(18)->Arg(1040)->UseManualTime()->Iterations(5);

}  // namespace

BENCHMARK_MAIN();

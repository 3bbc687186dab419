// Stream throughput over link_pair (stream.md §8 flow control end to end): byte-stream read and
// write of 256 MiB at package sizes 4 KiB, 64 KiB and 1 MiB, and entity-stream items/s. Each
// case also copies the same volume through a raw socketpair in the same run; the counter
// "vs_raw" is raw time / stream time (1.0 = as fast as a bare socket copy).
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "io/connection.hpp"
#include "vse/stream/stream.hpp"
#include "vse/stream/streamer_proxy.hpp"
#include "vse/tests/peer_link_gateway.hpp"

namespace {

using namespace std::chrono_literals;
namespace vs = versile::stream;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kVolume = 256LL << 20;

// Process CPU seconds (user + system, all threads): the machine is shared, so wall time mostly
// measures other processes; the CPU ratio is the steadier comparison.
double process_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Copies `total` bytes through a socketpair in `chunk`-sized writes; returns seconds.
double raw_socketpair_copy(std::int64_t total, std::size_t chunk, double* cpu_s = nullptr) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return 0;
  std::vector<char> out(chunk, 'x'), in(chunk);
  const double c0 = process_cpu_s();
  const auto t0 = Clock::now();
  std::thread writer([&] {
    std::int64_t left = total;
    while (left > 0) {
      const auto n = ::write(fds[0], out.data(), static_cast<std::size_t>(std::min<std::int64_t>(left, static_cast<std::int64_t>(chunk))));
      if (n <= 0) break;
      left -= n;
    }
  });
  std::int64_t got = 0;
  while (got < total) {
    const auto n = ::read(fds[1], in.data(), chunk);
    if (n <= 0) break;
    benchmark::DoNotOptimize(in.data());
    got += n;
  }
  writer.join();
  const double s = seconds_since(t0);
  if (cpu_s) *cpu_s = process_cpu_s() - c0;
  ::close(fds[0]);
  ::close(fds[1]);
  return s;
}

struct Pair {
  Pair() {
    auto p = versile::link_pair(nullptr, std::make_shared<vs::testing::StreamGateway>());
    client = p.first;
    server = p.second;
    gw = client->peer_gw();
  }
  ~Pair() {
    client->shutdown();
    client->wait_closed(10s);
  }
  std::shared_ptr<versile::Connection> client, server;
  versile::Proxy gw;
};

void report(benchmark::State& state, double stream_s, double stream_cpu, double raw_s,
            double raw_cpu, double units, const char* rate) {
  state.SetIterationTime(stream_s);
  state.counters[rate] = units / stream_s;
  state.counters["raw_MiB_per_s"] = static_cast<double>(kVolume) / (1 << 20) / raw_s;
  state.counters["vs_raw"] = raw_s / stream_s;
  state.counters["cpu_vs_raw"] = raw_cpu / stream_cpu;
}

void BM_ByteStreamRead(benchmark::State& state) {
  const auto pkg = static_cast<std::int64_t>(state.range(0));
  for (auto _ : state) {
    Pair pair;
    auto stream = pair.gw.call("pattern", kVolume, pkg).as<vs::ByteStreamerProxy>().connect(
        {.readahead = true, .r_size = pkg});
    stream.wait_status({.active = true});
    const double c0 = process_cpu_s();
    const auto t0 = Clock::now();
    std::int64_t total = 0;
    for (;;) {
      versile::Entity data = stream.recv(static_cast<std::size_t>(pkg));
      const auto n = static_cast<std::int64_t>(data.as_bytes().size());
      if (n == 0) break;
      total += n;
    }
    const double stream_s = seconds_since(t0);
    const double stream_cpu = process_cpu_s() - c0;
    if (total != kVolume) state.SkipWithError("short read");
    stream.close();
    double raw_cpu = 0;
    const double raw_s = raw_socketpair_copy(kVolume, static_cast<std::size_t>(pkg), &raw_cpu);
    report(state, stream_s, stream_cpu, raw_s, raw_cpu, static_cast<double>(kVolume) / (1 << 20),
           "MiB_per_s");
  }
}

void BM_ByteStreamWrite(benchmark::State& state) {
  const auto pkg = static_cast<std::int64_t>(state.range(0));
  std::vector<std::uint8_t> chunk(static_cast<std::size_t>(pkg), 0x5a);
  const versile::Bytes block{std::span<const std::uint8_t>(chunk)};
  for (auto _ : state) {
    Pair pair;
    auto stream = pair.gw.call("sink", pkg).as<vs::ByteStreamerProxy>().connect({.w_size = pkg});
    stream.wait_status({.active = true});
    const double c0 = process_cpu_s();
    const auto t0 = Clock::now();
    for (std::int64_t sent = 0; sent < kVolume; sent += pkg) stream.write(block);
    // Everything is processed once the streamer has answered the close.
    stream.close();
    stream.wait_status({.failed = true, .closed = true});
    const double stream_s = seconds_since(t0);
    const double stream_cpu = process_cpu_s() - c0;
    if (!stream.closed()) state.SkipWithError("stream did not close");
    double raw_cpu = 0;
    const double raw_s = raw_socketpair_copy(kVolume, static_cast<std::size_t>(pkg), &raw_cpu);
    report(state, stream_s, stream_cpu, raw_s, raw_cpu, static_cast<double>(kVolume) / (1 << 20),
           "MiB_per_s");
  }
}

void BM_EntityStreamItems(benchmark::State& state) {
  const std::int64_t items = state.range(0);
  for (auto _ : state) {
    Pair pair;
    auto stream = pair.gw.call("count", items).as<vs::EntityStreamerProxy>().connect({.readahead = true});
    stream.wait_status({.active = true});
    const auto t0 = Clock::now();
    std::int64_t got = 0;
    for (;;) {
      versile::Entity data = stream.recv(1000);
      const auto n = static_cast<std::int64_t>(data.as_tuple().size());
      if (n == 0) break;
      got += n;
    }
    const double stream_s = seconds_since(t0);
    if (got != items) state.SkipWithError("short read");
    stream.close();
    // Raw reference: the same number of 8-byte integers through a socketpair in 8000-byte writes.
    const double raw_s = raw_socketpair_copy(items * 8, 8000);
    state.SetIterationTime(stream_s);
    state.counters["items_per_s"] = static_cast<double>(items) / stream_s;
    state.counters["raw_items_per_s"] = static_cast<double>(items) / raw_s;
    state.counters["vs_raw"] = raw_s / stream_s;
  }
}

BENCHMARK(BM_ByteStreamRead)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ByteStreamWrite)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EntityStreamItems)->Arg(200000)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

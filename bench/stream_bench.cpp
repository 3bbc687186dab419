// Stream throughput over link_pair (stream.md §8 flow control end to end): byte-stream read and
// write of 256 MiB at package sizes 4 KiB, 64 KiB and 1 MiB, and entity-stream items/s. Each
// case also copies the same volume through a raw socketpair in the same run; the counter
// "vs_raw" is raw time / stream time (1.0 = as fast as a bare socket copy), the median over
// VPSTREAM_BENCH_REPS rounds (default 5).
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
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

// Client and server of one link_pair. By default each side has its own runtime (its own io
// thread), as two processes would, so that the reference copy with its writer and reader thread
// is matched thread for thread; `shared_io` puts both sides on the process-wide runtime's single
// io thread instead.
struct Pair {
  explicit Pair(bool shared_io = false) {
    if (!shared_io) {
      client_runtime = std::make_unique<versile::io::Runtime>();
      server_runtime = std::make_unique<versile::io::Runtime>();
    }
    versile::ConnectionOptions client_options, server_options;
    client_options.runtime = client_runtime.get();
    server_options.runtime = server_runtime.get();
    auto p = versile::link_pair(nullptr, std::make_shared<vs::testing::StreamGateway>(),
                                client_options, server_options);
    client = p.first;
    server = p.second;
    gw = client->peer_gw();
  }
  ~Pair() {
    gw = versile::Proxy();
    client->shutdown();
    client->wait_closed(10s);
    client.reset();
    server.reset();
  }
  std::unique_ptr<versile::io::Runtime> client_runtime, server_runtime;  // outlive the links
  std::shared_ptr<versile::Connection> client, server;
  versile::Proxy gw;
};

// Each case runs kRepetitions rounds of (stream transfer, raw copy of the same volume), the
// order alternating between rounds so that a load change on the shared machine hits both
// sides alike. Counters are medians over the rounds; vs_raw is the median of the per-round
// ratios raw time / stream time (1.0 = as fast as a bare socket copy), vs_raw_best the best.
int repetitions() {
  if (const char* env = std::getenv("VPSTREAM_BENCH_REPS")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  return 5;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

struct Round {
  double stream_s = 0, stream_cpu = 0, raw_s = 0, raw_cpu = 0;
};

// `transfer(cpu)` moves the volume through the stream once and returns its wall seconds;
// `raw(cpu)` copies the raw reference volume and returns its wall seconds.
template <class Transfer, class Raw>
void run_rounds(benchmark::State& state, double units, const char* rate, Transfer&& transfer,
                Raw&& raw) {
  const int reps = repetitions();
  std::vector<Round> rounds(static_cast<std::size_t>(reps));
  for (int i = 0; i < reps; ++i) {
    Round& r = rounds[static_cast<std::size_t>(i)];
    if (i % 2 == 0) {
      r.stream_s = transfer(r.stream_cpu);
      r.raw_s = raw(r.raw_cpu);
    } else {
      r.raw_s = raw(r.raw_cpu);
      r.stream_s = transfer(r.stream_cpu);
    }
    if (r.stream_s <= 0) return;  // transfer failed (SkipWithError was called)
  }
  std::vector<double> ratio, cpu_ratio, rate_v, raw_rate, stream_s;
  double total = 0;
  for (const Round& r : rounds) {
    ratio.push_back(r.raw_s / r.stream_s);
    if (r.stream_cpu > 0) cpu_ratio.push_back(r.raw_cpu / r.stream_cpu);
    rate_v.push_back(units / r.stream_s);
    raw_rate.push_back(units / r.raw_s);
    stream_s.push_back(r.stream_s);
    total += r.stream_s;
  }
  state.SetIterationTime(total / reps);
  state.counters[rate] = median(rate_v);
  state.counters[std::string("raw_") + rate] = median(raw_rate);
  state.counters["vs_raw"] = median(ratio);
  state.counters["vs_raw_best"] = *std::max_element(ratio.begin(), ratio.end());
  state.counters["vs_raw_worst"] = *std::min_element(ratio.begin(), ratio.end());
  if (!cpu_ratio.empty()) state.counters["cpu_vs_raw"] = median(cpu_ratio);
  state.counters["rounds"] = reps;
}

void BM_ByteStreamRead(benchmark::State& state) {
  const auto pkg = static_cast<std::int64_t>(state.range(0));
  const bool shared_io = state.range(1) != 0;
  for (auto _ : state) {
    Pair pair(shared_io);
    auto transfer = [&](double& cpu) -> double {
      auto stream = pair.gw.call("pattern", kVolume, pkg).as<vs::ByteStreamerProxy>().connect(
          {.readahead = true, .r_size = pkg});
      // A reader after throughput asks for a deep read-ahead window (the wire defaults of
      // stream.md §3.4 only set the package count and size).
      stream.set_readahead(std::max<std::int64_t>(16 * pkg, 16 << 20));
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
      const double s = seconds_since(t0);
      cpu = process_cpu_s() - c0;
      stream.close();
      if (total != kVolume) {
        state.SkipWithError("short read");
        return 0;
      }
      return s;
    };
    auto raw = [&](double& cpu) {
      return raw_socketpair_copy(kVolume, static_cast<std::size_t>(pkg), &cpu);
    };
    run_rounds(state, static_cast<double>(kVolume) / (1 << 20), "MiB_per_s", transfer, raw);
  }
}

void BM_ByteStreamWrite(benchmark::State& state) {
  const auto pkg = static_cast<std::int64_t>(state.range(0));
  std::vector<std::uint8_t> chunk(static_cast<std::size_t>(pkg), 0x5a);
  const versile::Bytes block{std::span<const std::uint8_t>(chunk)};
  for (auto _ : state) {
    Pair pair;
    auto transfer = [&](double& cpu) -> double {
      auto stream = pair.gw.call("sink", pkg).as<vs::ByteStreamerProxy>().connect({.w_size = pkg});
      stream.wait_status({.active = true});
      const double c0 = process_cpu_s();
      const auto t0 = Clock::now();
      for (std::int64_t sent = 0; sent < kVolume; sent += pkg) stream.write(block);
      // Everything is processed once the streamer has answered the close.
      stream.close();
      stream.wait_status({.failed = true, .closed = true});
      const double s = seconds_since(t0);
      cpu = process_cpu_s() - c0;
      if (!stream.closed()) {
        state.SkipWithError("stream did not close");
        return 0;
      }
      return s;
    };
    auto raw = [&](double& cpu) {
      return raw_socketpair_copy(kVolume, static_cast<std::size_t>(pkg), &cpu);
    };
    run_rounds(state, static_cast<double>(kVolume) / (1 << 20), "MiB_per_s", transfer, raw);
  }
}

void BM_EntityStreamItems(benchmark::State& state) {
  const std::int64_t items = state.range(0);
  for (auto _ : state) {
    Pair pair;
    auto transfer = [&](double& cpu) -> double {
      auto stream =
          pair.gw.call("count", items).as<vs::EntityStreamerProxy>().connect({.readahead = true});
      stream.wait_status({.active = true});
      const double c0 = process_cpu_s();
      const auto t0 = Clock::now();
      std::int64_t got = 0;
      for (;;) {
        versile::Entity data = stream.recv(1000);
        const auto n = static_cast<std::int64_t>(data.as_tuple().size());
        if (n == 0) break;
        got += n;
      }
      const double s = seconds_since(t0);
      cpu = process_cpu_s() - c0;
      stream.close();
      if (got != items) {
        state.SkipWithError("short read");
        return 0;
      }
      return s;
    };
    // Raw reference: the same number of 8-byte integers through a socketpair in 8000-byte
    // writes.
    auto raw = [&](double& cpu) { return raw_socketpair_copy(items * 8, 8000, &cpu); };
    run_rounds(state, static_cast<double>(items), "items_per_s", transfer, raw);
  }
}

BENCHMARK(BM_ByteStreamRead)->ArgsProduct({{4 << 10, 64 << 10, 1 << 20}, {0, 1}})->ArgNames({"pkg", "shared_io"})->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ByteStreamWrite)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EntityStreamItems)->Arg(200000)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

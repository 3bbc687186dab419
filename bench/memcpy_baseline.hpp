// A plain memcpy of N bytes, timed in the same run as the code under test, so benchmarks can
// report their speed relative to it (counter "vs_memcpy": > 1 means faster than memcpy).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include <time.h>

#include <benchmark/benchmark.h>

namespace vpstream::bench {

// Thread CPU time: the build machine is shared, so wall time mostly measures other processes.
inline double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// CPU nanoseconds for one memcpy of `bytes` bytes between two warm buffers (best of several
// batches, each long enough to be timed reliably).
inline double memcpy_ns(std::size_t bytes) {
  std::vector<std::uint8_t> src(bytes, 0x5a), dst(bytes);
  const std::size_t reps = std::max<std::size_t>(1, (64u << 20) / std::max<std::size_t>(bytes, 1));
  double best = 1e300;
  for (int batch = 0; batch < 7; ++batch) {
    const double t0 = thread_cpu_ns();
    for (std::size_t i = 0; i < reps; ++i) {
      std::memcpy(dst.data(), src.data(), bytes);
      benchmark::DoNotOptimize(dst.data());
      benchmark::ClobberMemory();
    }
    const double ns = (thread_cpu_ns() - t0) / static_cast<double>(reps);
    best = std::min(best, ns);
  }
  return best;
}

// Times the benchmark loop (thread CPU time) and publishes throughput plus the ratio to memcpy.
class RelativeTimer {
 public:
  RelativeTimer(benchmark::State& state, std::size_t bytes_per_iteration)
      : state_(state), bytes_(bytes_per_iteration), start_(thread_cpu_ns()) {}

  void finish() {
    const double total_ns = thread_cpu_ns() - start_;
    const double per_iteration = total_ns / static_cast<double>(std::max<benchmark::IterationCount>(state_.iterations(), 1));
    const double baseline = memcpy_ns(bytes_);
    state_.SetBytesProcessed(static_cast<std::int64_t>(state_.iterations()) * static_cast<std::int64_t>(bytes_));
    state_.counters["bytes"] = static_cast<double>(bytes_);
    state_.counters["memcpy_ns"] = baseline;
    state_.counters["vs_memcpy"] = baseline / per_iteration;
  }

 private:
  benchmark::State& state_;
  std::size_t bytes_;
  double start_;
};

}  // namespace vpstream::bench

// Driver for fuzz targets built without libFuzzer: runs LLVMFuzzerTestOneInput once for every
// file named on the command line or found (recursively) in a named directory. A failing input
// aborts inside the target, which fails the CTest test that runs this driver.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else if (std::filesystem::is_regular_file(arg)) {
      files.push_back(arg);
    } else {
      std::fprintf(stderr, "no such file or directory: %s\n", argv[i]);
      return 2;
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s <corpus dir or file>... (no inputs found)\n", argv[0]);
    return 2;
  }
  std::sort(files.begin(), files.end());  // deterministic order
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A copy in its own allocation, so ASan catches reads past the end as in libFuzzer.
    auto buffer = std::make_unique<std::uint8_t[]>(data.size());
    std::copy(data.begin(), data.end(), buffer.get());
    LLVMFuzzerTestOneInput(buffer.get(), data.size());
  }
  std::printf("%zu inputs ran\n", files.size());
  return 0;
}

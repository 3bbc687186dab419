#include "vse/stream/file_data.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <vector>

#include "vse/stream/stream_errors.hpp"

namespace versile::stream {
namespace {

// Largest single read we allocate for; a read past it simply comes back shorter only at the
// end of the file, so larger requests are served by the push loop's next read.
constexpr std::int64_t max_read_chunk = 1LL << 26;

}  // namespace

SimpleFileData::SimpleFileData(const std::filesystem::path& path, std::string_view fmode,
                               bool seek_rew, bool seek_fwd)
    : seek_rew_(seek_rew), seek_fwd_(seek_fwd) {
  if (fmode.find('t') != std::string_view::npos) {
    throw std::invalid_argument("File text mode not supported");
  }
  if (fmode.empty() || fmode.find_first_not_of("rwab+") != std::string_view::npos) {
    throw std::invalid_argument("Invalid file mode");
  }
  const char base = fmode[0];
  const bool plus = fmode.find('+') != std::string_view::npos;
  int flags = O_CLOEXEC;
  switch (base) {
    case 'r': flags |= plus ? O_RDWR : O_RDONLY; break;
    case 'w': flags |= (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC; break;
    case 'a': flags |= (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND; append_ = true; break;
    default: throw std::invalid_argument("Invalid file mode");
  }
  readable_ = base == 'r' || plus;
  writable_ = base == 'w' || plus;
  fd_ = ::open(path.c_str(), flags, 0644);
  if (fd_ < 0) throw StreamError("File I/O error during construction");
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw StreamError("File I/O error during construction");
  }
  length_ = static_cast<std::int64_t>(st.st_size);
  pos_ = append_ ? length_ : 0;
}

SimpleFileData::~SimpleFileData() {
  if (fd_ >= 0) ::close(fd_);
}

void SimpleFileData::check_open() const {
  if (fd_ < 0) throw StreamError("Streamer data was closed");
}

Entity SimpleFileData::read(std::int64_t max_num) {
  check_open();
  if (!readable_) throw StreamError("File not readable");
  const std::int64_t want = std::min({max_num, std::max<std::int64_t>(length_ - pos_, 0),
                                      max_read_chunk});
  std::vector<std::uint8_t> buf(static_cast<std::size_t>(std::max<std::int64_t>(want, 0)));
  std::size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = ::pread(fd_, buf.data() + got, buf.size() - got,
                              static_cast<off_t>(pos_ + static_cast<std::int64_t>(got)));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw StreamError("File I/O error");
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  buf.resize(got);
  pos_ += static_cast<std::int64_t>(got);
  return Entity(Bytes(std::move(buf)));
}

void SimpleFileData::write(const Entity& data) {
  check_open();
  if (!writable_) throw StreamError("File not writable");
  const Bytes* bytes = data.get_if<Bytes>();
  if (!bytes) throw StreamError("Invalid data type");
  const std::int64_t at = append_ ? length_ : pos_;
  std::size_t done = 0;
  while (done < bytes->size()) {
    const ssize_t n = ::pwrite(fd_, bytes->data() + done, bytes->size() - done,
                               static_cast<off_t>(at + static_cast<std::int64_t>(done)));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw StreamError("File I/O error");
    }
    done += static_cast<std::size_t>(n);
  }
  pos_ = at + static_cast<std::int64_t>(done);
  length_ = std::max(length_, pos_);
}

std::int64_t SimpleFileData::seek(std::int64_t pos, PosRef ref) {
  check_open();
  std::int64_t target = 0;
  switch (ref) {
    case PosRef::abs:
    case PosRef::start:
      if (pos < 0 || pos > length_) throw StreamError("Out-of-range seek position");
      target = pos;
      break;
    case PosRef::end:
      if (pos > 0) throw StreamError("Cannot seek past end of file");
      if (pos < -length_) throw StreamError("Seek operation error");
      target = length_ + pos;
      break;
    default: throw StreamError("Invalid position reference");
  }
  pos_ = target;
  return pos_;
}

void SimpleFileData::trunc_after() {
  check_open();
  if (!writable_) throw StreamError("File not writable");
  if (length_ > pos_) {
    if (::ftruncate(fd_, static_cast<off_t>(pos_)) != 0) throw StreamError("File I/O error");
    length_ = pos_;
  }
}

void SimpleFileData::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Mode SimpleFileData::capabilities() const noexcept {
  Mode caps = 0;
  if (readable_) caps |= mode::readable;
  if (writable_) caps |= mode::writable | mode::end_can_dec | mode::end_can_inc | mode::can_move_end;
  if (seek_rew_) caps |= mode::seek_rew;
  if (seek_fwd_) caps |= mode::seek_fwd;
  return caps;
}

RequiredMode SimpleFileData::req_mode() const {
  constexpr Mode all_caps = mode::readable | mode::writable | mode::end_can_dec |
                            mode::end_can_inc | mode::can_move_end | mode::seek_rew |
                            mode::seek_fwd;
  const Mode bits = mode::start_bounded | mode::end_bounded;
  const Mode mask = bits | mode::start_can_dec | mode::start_can_inc | (all_caps & ~capabilities());
  return {bits, mask};
}

Mode SimpleFileData::opt_mode() const {
  return mode::data_lock | mode::start_lock | mode::end_lock | capabilities();
}

}  // namespace versile::stream

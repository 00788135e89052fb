// A std::streambuf that reads a file through zlib (gzip, also concatenated members) or
// libzstd (streaming frames), or plainly, filling a fixed buffer per underflow: constant
// memory whatever the file's size.
#include "indexer/readers/decompress.h"

#include <array>
#include <cstdio>
#include <cstring>

#include <zlib.h>
#include <zstd.h>

#include "gazette/errors.h"

namespace gazette::indexer {

Compression compression_of_name(const std::filesystem::path& path) {
  const std::string extension = path.extension().string();
  if (extension == ".gz") return Compression::kGzip;
  if (extension == ".zst" || extension == ".zstd") return Compression::kZstd;
  return Compression::kNone;
}

std::filesystem::path without_compression(const std::filesystem::path& path) {
  if (compression_of_name(path) == Compression::kNone) return path;
  return path.parent_path() / path.stem();
}

struct InputStream::Buffer : std::streambuf {
  static constexpr std::size_t kChunk = 1 << 16;

  std::FILE* file = nullptr;
  Compression compression = Compression::kNone;
  std::array<char, kChunk> in{};   // Compressed bytes read from the file.
  std::array<char, kChunk> out{};  // Bytes handed to the stream.
  std::size_t in_begin = 0, in_end = 0;
  bool file_done = false;
  z_stream zlib{};
  bool zlib_open = false;
  ZSTD_DStream* zstd = nullptr;
  std::string error;

  ~Buffer() override {
    if (zlib_open) inflateEnd(&zlib);
    if (zstd) ZSTD_freeDStream(zstd);
    if (file) std::fclose(file);
  }

  bool fill_input() {
    if (in_begin < in_end) return true;
    if (file_done) return false;
    in_begin = 0;
    in_end = std::fread(in.data(), 1, in.size(), file);
    if (in_end == 0) {
      file_done = true;
      if (std::ferror(file)) error = "read error";
      return false;
    }
    return true;
  }

  // Decompresses into `out`; returns bytes produced, 0 at the end or on error.
  std::size_t produce() {
    switch (compression) {
      case Compression::kNone: {
        if (!fill_input()) return 0;
        const std::size_t n = in_end - in_begin;
        std::memcpy(out.data(), in.data() + in_begin, n);
        in_begin = in_end;
        return n;
      }
      case Compression::kGzip:
        while (true) {
          if (!fill_input()) {
            if (zlib_open && zlib.total_in > 0 && error.empty()) error = "truncated gzip stream";
            return 0;
          }
          if (!zlib_open) {
            if (inflateInit2(&zlib, 15 + 32) != Z_OK) { error = "zlib initialisation failed"; return 0; }
            zlib_open = true;
          }
          zlib.next_in = reinterpret_cast<Bytef*>(in.data() + in_begin);
          zlib.avail_in = static_cast<uInt>(in_end - in_begin);
          zlib.next_out = reinterpret_cast<Bytef*>(out.data());
          zlib.avail_out = static_cast<uInt>(out.size());
          const int status = inflate(&zlib, Z_NO_FLUSH);
          in_begin = in_end - zlib.avail_in;
          const std::size_t produced = out.size() - zlib.avail_out;
          if (status == Z_STREAM_END) {
            inflateEnd(&zlib);  // Another member may follow (concatenated .gz files).
            zlib_open = false;
            zlib = z_stream{};
          } else if (status != Z_OK && status != Z_BUF_ERROR) {
            error = std::string("corrupt gzip data: ") + (zlib.msg ? zlib.msg : "inflate failed");
            return 0;
          }
          if (produced > 0) return produced;
        }
      case Compression::kZstd:
        while (true) {
          if (!fill_input()) return 0;
          ZSTD_inBuffer input{in.data() + in_begin, in_end - in_begin, 0};
          ZSTD_outBuffer output{out.data(), out.size(), 0};
          const std::size_t status = ZSTD_decompressStream(zstd, &output, &input);
          in_begin += input.pos;
          if (ZSTD_isError(status)) {
            error = std::string("corrupt zstd data: ") + ZSTD_getErrorName(status);
            return 0;
          }
          if (output.pos > 0) return output.pos;
        }
    }
    return 0;
  }

  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const std::size_t n = produce();
    if (n == 0) return traits_type::eof();
    setg(out.data(), out.data(), out.data() + n);
    return traits_type::to_int_type(*gptr());
  }
};

InputStream::InputStream(const std::filesystem::path& path)
    : std::istream(nullptr), buffer_(std::make_unique<Buffer>()) {
  buffer_->file = std::fopen(path.c_str(), "rb");
  if (!buffer_->file) throw InputError(path.string(), 0, std::string("cannot open: ") + std::strerror(errno));
  // Magic bytes decide, so a misnamed file still reads.
  unsigned char magic[4] = {};
  const std::size_t got = std::fread(magic, 1, sizeof magic, buffer_->file);
  std::rewind(buffer_->file);
  if (got >= 2 && magic[0] == 0x1F && magic[1] == 0x8B) {
    buffer_->compression = Compression::kGzip;
  } else if (got == 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD) {
    buffer_->compression = Compression::kZstd;
    buffer_->zstd = ZSTD_createDStream();
    ZSTD_initDStream(buffer_->zstd);
  }
  rdbuf(buffer_.get());
}

InputStream::~InputStream() = default;

const std::string& InputStream::error() const { return buffer_->error; }

}  // namespace gazette::indexer

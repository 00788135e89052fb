// Transparent decompression: an input stream over a plain, gzip (.gz) or Zstandard
// (.zst) file, chosen by the file's magic bytes, so readers never see the difference.
#pragma once

#include <filesystem>
#include <istream>
#include <memory>
#include <string>

namespace gazette::indexer {

enum class Compression { kNone, kGzip, kZstd };

// Compression of a file name's last extension (".gz", ".zst"); kNone otherwise.
Compression compression_of_name(const std::filesystem::path& path);

// The file name without a compression extension ("a.jsonl.gz" -> "a.jsonl").
std::filesystem::path without_compression(const std::filesystem::path& path);

// Opens `path` for reading, decompressing gzip or Zstandard content (detected by magic
// bytes, whatever the name). Throws InputError naming the file when it cannot be opened;
// a corrupt compressed stream ends early and error() says why.
class InputStream : public std::istream {
 public:
  explicit InputStream(const std::filesystem::path& path);
  ~InputStream() override;
  // Why the stream went bad, or empty.
  const std::string& error() const;

 private:
  struct Buffer;
  std::unique_ptr<Buffer> buffer_;
};

}  // namespace gazette::indexer

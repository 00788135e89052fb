// The "store" stage: a Xapian WritableDatabase fed in all-or-nothing batches.
// Each batch is a Xapian transaction, so Xapian never auto-flushes half a batch and a
// crash leaves the index as of the last committed batch.
#include "gazette/index_writer.h"

#include <filesystem>

#include <xapian.h>

#include "core/schema.h"
#include "gazette/errors.h"
#include "indexer/document_builder.h"

namespace gazette {

struct IndexWriter::Impl {
  std::string path;
  WriterOptions options;
  Xapian::WritableDatabase database;
  indexer::DocumentBuilder builder;
  std::size_t pending = 0;  // Changes in the open transaction.
  bool in_transaction = false;

  void begin() {
    if (!in_transaction) {
      database.begin_transaction(/*flushed=*/true);
      in_transaction = true;
    }
  }
};

namespace {

[[noreturn]] void rethrow_as_index_error(const std::string& path, const Xapian::Error& error) {
  if (std::string_view(error.get_type()) == "DatabaseLockError") {
    throw IndexLockedError(path);
  }
  throw IndexError(path + ": " + error.get_msg());
}

}  // namespace

IndexWriter::IndexWriter(const std::string& path, WriterOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->options = options;
  if (impl_->options.batch_size == 0) impl_->options.batch_size = 1;
  try {
    if (options.create) std::filesystem::create_directories(path);
    const int action = options.create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
    impl_->database = Xapian::WritableDatabase(path, action | Xapian::DB_BACKEND_GLASS);
  } catch (const Xapian::Error& error) {
    rethrow_as_index_error(path, error);
  } catch (const std::filesystem::filesystem_error& error) {
    throw IndexError(path + ": " + error.code().message());
  }
}

IndexWriter::~IndexWriter() {
  try {
    commit();
  } catch (...) {
    // A destructor must not throw; callers wanting the error call commit() first.
  }
}

AddOutcome IndexWriter::add(const Article& article) {
  if (article.id.empty()) throw Error("article has an empty id");
  const std::string id_term = core::schema::id_term(article.id);
  try {
    Xapian::Document document = impl_->builder.build(article);
    impl_->begin();
    const bool existed = impl_->database.term_exists(id_term);
    impl_->database.replace_document(id_term, document);
    if (++impl_->pending >= impl_->options.batch_size) commit();
    return existed ? AddOutcome::kReplaced : AddOutcome::kAdded;
  } catch (const Xapian::Error& error) {
    rethrow_as_index_error(impl_->path, error);
  }
}

bool IndexWriter::remove(const std::string& id) {
  const std::string id_term = core::schema::id_term(id);
  try {
    if (!impl_->database.term_exists(id_term)) return false;
    impl_->begin();
    impl_->database.delete_document(id_term);
    if (++impl_->pending >= impl_->options.batch_size) commit();
    return true;
  } catch (const Xapian::Error& error) {
    rethrow_as_index_error(impl_->path, error);
  }
}

void IndexWriter::commit() {
  if (!impl_->in_transaction) return;
  try {
    impl_->in_transaction = false;
    impl_->pending = 0;
    impl_->database.commit_transaction();
  } catch (const Xapian::Error& error) {
    rethrow_as_index_error(impl_->path, error);
  }
}

void IndexWriter::rollback() {
  if (!impl_->in_transaction) return;
  try {
    impl_->in_transaction = false;
    impl_->pending = 0;
    impl_->database.cancel_transaction();
  } catch (const Xapian::Error& error) {
    rethrow_as_index_error(impl_->path, error);
  }
}

std::size_t IndexWriter::article_count() const { return impl_->database.get_doccount(); }

}  // namespace gazette

// Indexes two articles into the directory given on the command line, then searches.
#include <gazette/gazette.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer INDEX_DIR\n";
    return 2;
  }
  try {
    {
      gazette::IndexWriter writer(argv[1]);
      gazette::Article cocoa;
      cocoa.id = "cocoa-1";
      cocoa.title = "Bahia cocoa harvest";
      cocoa.body = "Showers continued throughout the week in the Bahia cocoa zone.";
      cocoa.outlet = "Reuters";
      cocoa.date = gazette::parse_date("1987-02-26");
      writer.add(cocoa);
      gazette::Article oil{.id = "oil-1", .title = "Oil prices rise", .outlet = "Reuters"};
      writer.add(oil);
      writer.commit();
    }
    gazette::Searcher searcher(argv[1]);
    gazette::SearchRequest request;
    request.query = "cocoa showers";
    const gazette::SearchResponse response = searcher.search(request);
    std::cout << response.total << " match: " << response.hits.at(0).article.title << "\n";
    return 0;
  } catch (const gazette::Error& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
}

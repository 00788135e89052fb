// Lucene 8.7 peer for bench/run.sh: EnglishAnalyzer, BM25, SortedSetDocValues facets.
//   java LuceneBench index INDEX_DIR INPUT.tsv [--progress N]
//   java LuceneBench query INDEX_DIR QUERIES [--reps N] [--facets] [--filtered]
// INPUT.tsv: id, title, body, unix seconds (or empty), YYYY-MM (or empty), outlet.
// Query output matches bench/gazette_query_bench: {"engine", "hits", "latencies_us"}.
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

public class LuceneBench {
  static FacetsConfig facetsConfig() {
    FacetsConfig config = new FacetsConfig();
    config.setMultiValued("outlet", false);
    config.setMultiValued("month", false);
    return config;
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("index")) {
      index(args[1], args[2], args.length > 4 && args[3].equals("--progress") ? Long.parseLong(args[4]) : 0);
    }
    else if (args[0].equals("run")) trecRun(args[1], args[2], args[3], args[4]);
    else query(args);
  }

  // With progress > 0, prints {"kind": "progress", "articles", "seconds"} every that many
  // articles (seconds since the start, JVM start-up excluded).
  static void index(String dir, String input, long progress) throws Exception {
    long started = System.nanoTime();
    Analyzer analyzer = new EnglishAnalyzer();
    IndexWriterConfig config = new IndexWriterConfig(analyzer);
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    FacetsConfig facets = facetsConfig();
    long count = 0;
    try (IndexWriter writer = new IndexWriter(FSDirectory.open(Paths.get(dir)), config);
         BufferedReader reader = Files.newBufferedReader(Paths.get(input), StandardCharsets.UTF_8)) {
      for (String line; (line = reader.readLine()) != null; ) {
        String[] f = line.split("\t", -1);
        Document doc = new Document();
        doc.add(new StringField("id", f[0], Field.Store.YES));
        doc.add(new TextField("title", f[1], Field.Store.YES));
        doc.add(new TextField("body", f[2], Field.Store.YES));
        if (!f[3].isEmpty()) {
          long seconds = Long.parseLong(f[3]);
          doc.add(new LongPoint("date", seconds));
          doc.add(new StoredField("date", seconds));
        }
        if (!f[4].isEmpty()) doc.add(new SortedSetDocValuesFacetField("month", f[4]));
        if (!f[5].isEmpty()) {
          doc.add(new StringField("outlet_filter", f[5], Field.Store.YES));
          doc.add(new SortedSetDocValuesFacetField("outlet", f[5]));
        }
        // updateDocument keeps ids unique, as Gazette's replace does.
        writer.updateDocument(new Term("id", f[0]), facets.build(doc));
        count++;
        if (progress > 0 && count % progress == 0) {
          System.out.println("{\"kind\": \"progress\", \"engine\": \"lucene\", \"articles\": " + count
              + ", \"seconds\": " + (System.nanoTime() - started) / 1e9 + "}");
          System.out.flush();
        }
      }
      writer.commit();
    }
    System.out.println("{\"engine\": \"lucene\", \"indexed\": " + count + "}");
  }

  static void query(String[] args) throws Exception {
    String dir = args[1], queriesPath = args[2];
    int reps = 5;
    boolean facets = false, filtered = false;
    for (int i = 3; i < args.length; i++) {
      if (args[i].equals("--reps")) reps = Integer.parseInt(args[++i]);
      else if (args[i].equals("--facets")) facets = true;
      else if (args[i].equals("--filtered")) filtered = true;
    }
    DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(dir)));
    IndexSearcher searcher = new IndexSearcher(reader);
    SortedSetDocValuesReaderState state = new DefaultSortedSetDocValuesReaderState(reader);
    boolean hasMonths = state.getOrdRange("month") != null;
    Map<String, Float> boosts = new HashMap<>();
    boosts.put("title", 3.0f);  // Gazette weighs title words 3x.
    boosts.put("body", 1.0f);
    MultiFieldQueryParser parser =
        new MultiFieldQueryParser(new String[] {"title", "body"}, new EnglishAnalyzer(), boosts);
    List<Query> queries = new ArrayList<>();
    for (String line : Files.readAllLines(Paths.get(queriesPath), StandardCharsets.UTF_8)) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t", -1);
      boolean phrase = f[0].length() > 1 && f[0].startsWith("\"") && f[0].endsWith("\"");
      Query text = phrase ? parser.parse("\"" + QueryParser.escape(f[0].substring(1, f[0].length() - 1)) + "\"")
                          : parser.parse(QueryParser.escape(f[0]));
      if (filtered) {
        long[] month = monthRange(f[2]);
        text = new BooleanQuery.Builder()
                   .add(text, BooleanClause.Occur.MUST)
                   .add(new TermQuery(new Term("outlet_filter", f[1])), BooleanClause.Occur.FILTER)
                   .add(LongPoint.newRangeQuery("date", month[0], month[1]), BooleanClause.Occur.FILTER)
                   .build();
      }
      queries.add(text);
    }
    long hits = 0;
    List<Long> latencies = new ArrayList<>();
    for (int rep = 0; rep <= reps; rep++) {
      for (Query q : queries) {
        long start = System.nanoTime();
        TopDocs top;
        if (facets) {
          FacetsCollector collector = new FacetsCollector();
          top = FacetsCollector.search(searcher, q, 10, collector);
          SortedSetDocValuesFacetCounts counts = new SortedSetDocValuesFacetCounts(state, collector);
          FacetResult outlets = counts.getTopChildren(10, "outlet");
          // A corpus without dates (Cranfield) has no month dimension.
          FacetResult months = hasMonths ? counts.getTopChildren(1000, "month") : null;
          if (outlets == null && months == null && top.scoreDocs.length < 0) System.out.print("");
        } else {
          top = searcher.search(q, 10);
        }
        int stored = 0;
        for (ScoreDoc sd : top.scoreDocs) stored += searcher.doc(sd.doc).get("title").length();
        long end = System.nanoTime();
        if (rep == 0) continue;
        latencies.add((end - start) / 1000);
        if (rep == 1) hits += top.totalHits.value + (stored < 0 ? 1 : 0);
      }
    }
    StringBuilder out = new StringBuilder("{\"engine\": \"lucene\", \"hits\": " + hits + ", \"latencies_us\": [");
    for (int i = 0; i < latencies.size(); i++) out.append(i == 0 ? "" : ", ").append(latencies.get(i));
    System.out.println(out.append("]}"));
  }

  // The top 1000 per topic ("ID<TAB>text" lines) as a TREC run file, parsed as the timed
  // queries are: title^3 body, words ORed, EnglishAnalyzer, BM25.
  static void trecRun(String dir, String topicsPath, String outPath, String tag) throws Exception {
    DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(dir)));
    IndexSearcher searcher = new IndexSearcher(reader);
    Map<String, Float> boosts = new HashMap<>();
    boosts.put("title", 3.0f);
    boosts.put("body", 1.0f);
    MultiFieldQueryParser parser =
        new MultiFieldQueryParser(new String[] {"title", "body"}, new EnglishAnalyzer(), boosts);
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Paths.get(topicsPath), StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", 2);
      if (f.length < 2) continue;
      TopDocs top = searcher.search(parser.parse(QueryParser.escape(f[1])), 1000);
      int rank = 0;
      for (ScoreDoc sd : top.scoreDocs) {
        out.append(f[0]).append(" Q0 ").append(searcher.doc(sd.doc).get("id")).append(' ').append(++rank)
            .append(' ').append(sd.score).append(' ').append(tag).append('\n');
      }
    }
    Files.write(Paths.get(outPath), out.toString().getBytes(StandardCharsets.UTF_8));
  }

  static long[] monthRange(String month) {
    java.time.YearMonth ym = java.time.YearMonth.parse(month);
    long first = ym.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
    long next = ym.plusMonths(1).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
    return new long[] {first, next - 1};
  }
}

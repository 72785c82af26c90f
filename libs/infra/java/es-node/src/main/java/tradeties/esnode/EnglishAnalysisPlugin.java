package tradeties.esnode;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Opt-in ({@code --english-analysis}): the English subset of the unpublished analysis-common module,
 * built from Lucene's analysis-common jar, which is on the class path anyway. Same names and defaults
 * as the distribution, so an index definition that works against production works here:
 * <ul>
 *   <li>analyzer {@code english} (params {@code stopwords}, {@code stem_exclusion})</li>
 *   <li>token filter {@code stemmer} with {@code language} (or {@code name}) one of {@code english},
 *       {@code porter}, {@code light_english}, {@code kstem}, {@code minimal_english}, {@code possessive_english}</li>
 *   <li>token filters {@code porter_stem}, {@code kstem}, {@code asciifolding} ({@code preserve_original})</li>
 * </ul>
 * Other languages are rejected with a 400, as they would be by a node without analysis-common.
 */
public final class EnglishAnalysisPlugin extends Plugin implements AnalysisPlugin {

    private static final Map<String, UnaryOperator<TokenStream>> STEMMERS = Map.of(
        "english", PorterStemFilter::new,
        "porter", PorterStemFilter::new,
        "light_english", KStemFilter::new,
        "kstem", KStemFilter::new,
        "minimal_english", EnglishMinimalStemFilter::new,
        "possessive_english", EnglishPossessiveFilter::new
    );

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "stemmer",
            (indexSettings, environment, name, settings) -> stemmer(name, settings),
            "porter_stem",
            (indexSettings, environment, name, settings) -> filter(name, settings, PorterStemFilter::new),
            "kstem",
            (indexSettings, environment, name, settings) -> filter(name, settings, KStemFilter::new),
            "asciifolding",
            (indexSettings, environment, name, settings) -> {
                boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
                return filter(name, settings, in -> new ASCIIFoldingFilter(in, preserveOriginal));
            }
        );
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("english", (indexSettings, environment, name, settings) -> {
            CharArraySet stopWords = Analysis.parseStopWords(environment, settings, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
            CharArraySet stemExclusion = Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET);
            EnglishAnalyzer analyzer = new EnglishAnalyzer(stopWords, stemExclusion);
            return new AbstractIndexAnalyzerProvider<EnglishAnalyzer>(name, settings) {
                @Override
                public EnglishAnalyzer get() {
                    return analyzer;
                }
            };
        });
    }

    private static TokenFilterFactory stemmer(String name, Settings settings) {
        String language = settings.get("language", settings.get("name", "porter")).toLowerCase(Locale.ROOT);
        UnaryOperator<TokenStream> stemmer = STEMMERS.get(language);
        if (stemmer == null) {
            throw new IllegalArgumentException(
                "stemmer language [" + language + "] is not available on this node (only " + STEMMERS.keySet() + ")"
            );
        }
        return filter(name, settings, stemmer);
    }

    private static TokenFilterFactory filter(String name, Settings settings, UnaryOperator<TokenStream> filter) {
        return new AbstractTokenFilterFactory(name, settings) {
            @Override
            public TokenStream create(TokenStream tokenStream) {
                return filter.apply(tokenStream);
            }
        };
    }
}

package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Grafana dashboard and the Prometheus alert rules in docs/monitoring: they parse, promtool accepts the rules,
 * their unit tests, the dashboard's queries and a real scrape, and every meter they (and the autoscaler's adapter
 * rule) name is in that scrape after traffic.
 */
class MonitoringFilesTests extends HundredVersionsServer {

    private static final Path DASHBOARD = Path.of("docs/monitoring/grafana-dashboard.json");
    private static final Path ALERTS = Path.of("docs/monitoring/alerts.yaml");
    private static final Path ALERTS_TESTS = Path.of("docs/monitoring/alerts-tests.yaml");
    private static final Path ADAPTER = Path.of("k8s/components/hpa-request-rate/prometheus-adapter-values.yaml");
    private static final List<String> STANDARD_JVM_NAMES =
            List.of("jvm_compilation_time_ms_total ", "process_cpu_time_ns_total ", "system_cpu_count ");
    /** A metric name in PromQL: not a function (followed by a parenthesis), not a Grafana variable. */
    private static final Pattern METRIC = Pattern.compile("(?<![\\w$])([a-z_:][a-z0-9_:]*_[a-z0-9_:]*)(?![\\w(])");

    @Test
    void dashboardNamesOnlyMetersOfTheScrape() throws IOException {
        List<String> queries = dashboardQueries();

        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
        assertThat(metricNames(queries))
                .contains(
                        "serving_request_duration_seconds_bucket",
                        "serving_requests_total",
                        "serving_admission_refused_total",
                        "serving_queue_length",
                        "serving_batch_size_sum",
                        "serving_model_load_failures_total",
                        "serving_model_versions_ready")
                .isSubsetOf(scrape().sampleNames());
    }

    @Test
    void alertRulesNameOnlyMetersOfTheScrape() throws IOException {
        List<String> queries = new ArrayList<>();
        for (JsonNode group :
                YAMLMapper.builder().build().readTree(Files.readString(ALERTS)).get("groups")) {
            group.get("rules").forEach(rule -> queries.add(rule.get("expr").asString()));
        }

        assertThat(metricNames(queries))
                .contains("serving_queue_capacity", "serving_model_versions_failed", "serving_admission_refused_total")
                .isSubsetOf(scrape().sampleNames());
    }

    @Test
    void promtoolAcceptsTheAlertRules() throws IOException {
        Promtool.Result result = Promtool.run("", "check", "rules", ALERTS.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 7 rules found");
    }

    /** Each alert fires on the series that should raise it, after its {@code for:} time, and not on others. */
    @Test
    void promtoolsUnitTestsOfTheAlertsPass() {
        Promtool.Result result = Promtool.run("", "test", "rules", ALERTS_TESTS.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    /** The HorizontalPodAutoscaler's request rate comes from a counter the service has. */
    @Test
    void prometheusAdapterRuleNamesAMeterOfTheScrape() throws IOException {
        List<String> queries = new ArrayList<>();
        YAMLMapper.builder()
                .build()
                .readTree(Files.readString(ADAPTER))
                .path("rules")
                .path("custom")
                .forEach(rule -> queries.add(rule.get("seriesQuery").asString()));

        assertThat(metricNames(queries))
                .containsExactly("serving_requests_total")
                .isSubsetOf(scrape().sampleNames());
    }

    /** promtool parses the dashboard's queries as recording rules, with Grafana's variables filled in. */
    @Test
    void promtoolParsesTheDashboardQueries() throws IOException {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> queries = dashboardQueries();
        for (int i = 0; i < queries.size(); i++) {
            String query = queries.get(i)
                    .replace("$__rate_interval", "5m")
                    .replace("$__range", "1h")
                    .replace("$model", ".*")
                    .replace("$version", ".*");
            rules.append("      - record: dashboard:query_").append(i).append('\n');
            rules.append("        expr: '").append(query.replace("'", "''")).append("'\n");
        }
        Path file = Files.createTempFile("dashboard-rules", ".yaml");
        try {
            Files.writeString(file, rules);
            Promtool.Result result = Promtool.run("", "check", "rules", file.toString());

            assertThat(result.exitCode()).as(result.output()).isZero();
        } finally {
            Files.delete(file);
        }
    }

    /**
     * promtool finds no problem in the scrape but in three of Micrometer's standard JVM meters, whose names the
     * common JVM dashboards use as they are.
     */
    @Test
    void promtoolAcceptsTheScrape() {
        Promtool.Result result = Promtool.run(scrape().text(), "check", "metrics");

        assertThat(result.output().lines())
                .as(result.output())
                .allMatch(line -> STANDARD_JVM_NAMES.stream().anyMatch(line::startsWith));
    }

    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.path("title").asString()).isEqualTo("onnx-serving");
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.path("targets").isEmpty())
                    .as(panel.path("title").asString())
                    .isFalse();
            panel.get("targets")
                    .forEach(target -> queries.add(target.get("expr").asString()));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query").path("query");
            if (query.isString()) {
                queries.add(query.asString().replaceFirst("^label_values\\((.*), \\w+\\)$", "$1"));
            }
        }
        return queries;
    }

    /** The metric names a query reads, with its quoted label values left out. */
    static Set<String> metricNames(List<String> queries) {
        Set<String> names = new TreeSet<>();
        for (String query : queries) {
            Matcher matcher = METRIC.matcher(query.replaceAll("\"[^\"]*\"", "\"\""));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}

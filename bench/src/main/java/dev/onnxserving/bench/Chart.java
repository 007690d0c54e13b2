package dev.onnxserving.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Draws throughput and p99 latency against concurrency as one SVG, both on log scales, one line per series. */
final class Chart {

    private static final int[] CONCURRENCY = {1, 16, 64};
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#7f7f7f"
    };
    private static final int PANEL_WIDTH = 420;
    private static final int PANEL_HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int TOP = 40;

    /** One line: a workload in one batching mode. */
    record Series(String name, boolean dashed, List<Run> runs) {}

    private Chart() {}

    static String svg(List<Series> series, String title) {
        int width = LEFT + PANEL_WIDTH + LEFT + PANEL_WIDTH + 290;
        int height = TOP + PANEL_HEIGHT + 60;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">\n",
                width,
                height,
                width,
                height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(width / 2.0, 18, title, "middle", 14));
        panel(svg, series, LEFT, "2xx responses/s", Run::okPerSecond);
        panel(svg, series, LEFT + PANEL_WIDTH + LEFT, "p99 latency (ms)", Run::p99Millis);
        int legendX = LEFT + PANEL_WIDTH + LEFT + PANEL_WIDTH + 20;
        for (int i = 0; i < series.size(); i++) {
            int y = TOP + 10 + i * 20;
            String colour = COLOURS[i % COLOURS.length];
            svg.append(line(legendX, y, legendX + 24, y, colour, series.get(i).dashed()));
            svg.append(text(legendX + 30, y + 4, series.get(i).name(), "start", 12));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void panel(
            StringBuilder svg, List<Series> series, int left, String label, ToDoubleFunction<Run> value) {
        List<Double> values = new ArrayList<>();
        series.forEach(s -> s.runs().forEach(run -> values.add(value.applyAsDouble(run))));
        double low = Math.floor(Math.log10(
                values.stream().mapToDouble(v -> v).filter(v -> v > 0).min().orElse(1)));
        double high =
                Math.ceil(Math.log10(values.stream().mapToDouble(v -> v).max().orElse(10)));
        if (high <= low) {
            high = low + 1;
        }
        int bottom = TOP + PANEL_HEIGHT;
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                left,
                TOP,
                PANEL_WIDTH,
                PANEL_HEIGHT));
        for (double decade = low; decade <= high; decade++) {
            double y = y(Math.pow(10, decade), low, high);
            svg.append(line(left, y, left + PANEL_WIDTH, y, "#e0e0e0", false));
            svg.append(text(left - 6, y + 4, format(Math.pow(10, decade)), "end", 11));
        }
        for (int i = 0; i < CONCURRENCY.length; i++) {
            double x = x(left, i);
            svg.append(text(x, bottom + 16, Integer.toString(CONCURRENCY[i]), "middle", 11));
        }
        svg.append(text(left + PANEL_WIDTH / 2.0, bottom + 34, "concurrency (connections)", "middle", 12));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">%s</text>\n",
                left - 50,
                TOP + PANEL_HEIGHT / 2,
                left - 50,
                TOP + PANEL_HEIGHT / 2,
                label));
        for (int s = 0; s < series.size(); s++) {
            String colour = COLOURS[s % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (Run run : series.get(s).runs()) {
                int index = indexOf(run.concurrency());
                double v = value.applyAsDouble(run);
                if (index < 0 || v <= 0) {
                    continue;
                }
                double px = x(left, index);
                double py = y(v, low, high);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                svg.append(String.format(
                        Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", px, py, colour));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
                    points.toString().trim(),
                    colour,
                    series.get(s).dashed() ? " stroke-dasharray=\"6 4\"" : ""));
        }
    }

    private static int indexOf(int concurrency) {
        for (int i = 0; i < CONCURRENCY.length; i++) {
            if (CONCURRENCY[i] == concurrency) {
                return i;
            }
        }
        return -1;
    }

    private static double x(int left, int index) {
        return left + 40 + index * (PANEL_WIDTH - 80) / (double) (CONCURRENCY.length - 1);
    }

    private static double y(double value, double lowDecade, double highDecade) {
        double fraction = (Math.log10(value) - lowDecade) / (highDecade - lowDecade);
        return TOP + PANEL_HEIGHT - fraction * PANEL_HEIGHT;
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, boolean dashed) {
        return String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"%s/>\n",
                x1,
                y1,
                x2,
                y2,
                colour,
                colour.equals("#e0e0e0") ? "1" : "2",
                dashed ? " stroke-dasharray=\"6 4\"" : "");
    }

    private static String text(double x, double y, String content, String anchor, int size) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>\n",
                x,
                y,
                anchor,
                size,
                content.replace("&", "&amp;").replace("<", "&lt;"));
    }

    private static String format(double value) {
        if (value >= 1) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }
}

package dev.dropstream.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard's files, read from the class path folder {@value #ROOT} (another module bundles them there)
 * and served at {@code /}. Without that folder, {@code /} is a 404 saying the dashboard was not built.
 */
final class StaticFiles {
    static final String ROOT = "dropstream/dashboard/";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"), Map.entry("map", "application/json; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"), Map.entry("woff", "font/woff"), Map.entry("txt", "text/plain; charset=utf-8"));

    private final ClassLoader loader;

    StaticFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** A file and its content type. */
    record File(byte[] bytes, String contentType) {
    }

    /** The file at {@code path} ({@code /} is {@code index.html}), or a 404. */
    File get(String path) {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (name.contains("..") || name.contains("//") || name.endsWith("/")) {
            throw ApiError.notFound("there is no " + path);
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                if (loader.getResource(ROOT + "index.html") == null) {
                    throw ApiError.notFound("the dashboard was not built into this program (no " + ROOT
                            + "index.html on the class path); the API is at /api/v1/, described in /openapi.json");
                }
                throw Api.notFound(path);
            }
            return new File(in.readAllBytes(), typeOf(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT + name, e);
        }
    }

    private static String typeOf(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}

package dev.onnxserving.repository.oci;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * A token service for a registry configured with {@code auth: token}: on loopback, it checks basic credentials (a
 * GET, answering {@code token}) or an identity token (an OAuth2 refresh-token POST, answering {@code access_token}) and
 * issues JWTs in distribution 2.8's format (an {@code access} claim, the signing certificate in the {@code x5c}
 * header), signed with a key whose self-signed certificate the registry trusts as its root bundle.
 */
final class TokenIssuer implements AutoCloseable {

    static final String SERVICE = "test-registry";
    static final String ISSUER = "test-token-issuer";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair key;
    private final X509Certificate certificate;
    private final HttpServer server;
    private final String username;
    private final String password;
    private final AtomicInteger issued = new AtomicInteger();
    /** The refresh token a POST must carry. */
    static final String IDENTITY_TOKEN = "identity-t0ken-of-puller";

    TokenIssuer(String username, String password) throws Exception {
        this.username = username;
        this.password = password;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.key = generator.generateKeyPair();
        X500Name name = new X500Name("CN=onnx-serving test token issuer");
        Instant now = Instant.now();
        this.certificate = new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.valueOf(now.toEpochMilli()),
                                java.util.Date.from(now.minusSeconds(3600)),
                                java.util.Date.from(now.plusSeconds(86_400)),
                                name,
                                key.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::answer);
        server.start();
    }

    /** The registry's {@code auth:} section for this issuer, its root bundle written into {@code folder}. */
    String registryAuth(Path folder) throws Exception {
        Path bundle = folder.resolve("token-root.pem");
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Files.createDirectories(folder);
        Files.writeString(bundle, pem);
        return "token:\n  realm: " + realm() + "\n  service: " + SERVICE + "\n  issuer: " + ISSUER
                + "\n  rootcertbundle: " + bundle + "\n";
    }

    String realm() {
        return "http://" + authority() + "/token";
    }

    /** {@code 127.0.0.1:<port>}: plain HTTP, so it must be listed in {@code plain-http} to be sent credentials. */
    String authority() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many tokens the service issued to callers. */
    int issued() {
        return issued.get();
    }

    /** A token for a scope such as {@code repository:team/iris:pull,push}, as the service issues it. */
    String mint(String scope) throws Exception {
        int firstColon = scope.indexOf(':');
        int lastColon = scope.lastIndexOf(':');
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("type", scope.substring(0, firstColon));
        access.put("name", scope.substring(firstColon + 1, lastColon));
        access.put("actions", List.of(scope.substring(lastColon + 1).split(",")));
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", username);
        claims.put("aud", SERVICE);
        claims.put("exp", now + 300);
        claims.put("nbf", now - 10);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", List.of(access));
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificate.getEncoded())));
        String signed = URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + URL.encodeToString(JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key.getPrivate());
        signature.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + URL.encodeToString(signature.sign());
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("POST")) {
                refresh(exchange);
                return;
            }
            String expected = "Basic "
                    + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            issue(exchange, exchange.getRequestURI().getRawQuery(), "token");
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void refresh(HttpExchange exchange) throws Exception {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!"refresh_token".equals(parameter(form, "grant_type"))
                || !IDENTITY_TOKEN.equals(parameter(form, "refresh_token"))) {
            exchange.sendResponseHeaders(401, -1);
            return;
        }
        issue(exchange, form, "access_token");
    }

    private void issue(HttpExchange exchange, String parameters, String field) throws Exception {
        String scope = parameter(parameters, "scope");
        if (!SERVICE.equals(parameter(parameters, "service")) || scope == null) {
            exchange.sendResponseHeaders(400, -1);
            return;
        }
        byte[] body = JSON.writeValueAsBytes(Map.of(field, mint(scope), "expires_in", 300));
        issued.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String parameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

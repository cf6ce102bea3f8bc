package org.celltrial.adapter.ingest.source.sftp;

import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.celltrial.adapter.ingest.source.DeliveryHandover;
import org.celltrial.adapter.ingest.source.Secrets;
import org.celltrial.adapter.ingest.source.Source;
import org.celltrial.adapter.ingest.source.SourceContext;
import org.celltrial.adapter.ingest.source.SourceDefinition;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A site's SFTP folder of deliveries ({@code .zip}, one delivery each), fetched with Camel's {@code sftp} component.
 * Each file is downloaded, written into the inbox under a hidden name and renamed into it (named
 * {@code <source>-<file>}), and only then moved on the server into {@code done-folder} (Camel's {@code move}, which
 * it performs when the exchange is completed): a crash in between leaves the file on the server, so it is fetched and
 * delivered again (absorbed by the idempotent ingest), never lost. Host keys are checked against
 * {@code known-hosts-file} (required; {@code strict-host-key-checking: false} only for tests). Password
 * ({@code password-env}/{@code password-file}) or key ({@code private-key-file}, passphrase from
 * {@code passphrase-env}/{@code -file}) authentication.
 */
public final class SftpSource implements Source {

    private final SourceDefinition definition;
    private final Supplier<CamelContext> camel;
    private final String uri;
    private final String shownUri;

    public SftpSource(SourceDefinition d, Secrets secrets, Supplier<CamelContext> camel) {
        this.definition = d;
        this.camel = camel;
        String host = d.required("host");
        String port = d.setting("port", "22");
        String folder = d.setting("folder", "");
        boolean strict = !"false".equals(d.setting("strict-host-key-checking", "true"));
        String knownHosts = d.setting("known-hosts-file", null);
        if (strict && knownHosts == null) {
            throw new IllegalArgumentException("source " + d.id() + ": connection.known-hosts-file is required (host keys"
                    + " are checked; strict-host-key-checking: false only for a test server)");
        }
        StringBuilder q = new StringBuilder();
        q.append("username=").append(enc(d.required("username")));
        q.append("&strictHostKeyChecking=").append(strict ? "yes" : "no");
        if (knownHosts != null) {
            q.append("&knownHostsFile=").append(enc(knownHosts)).append("&useUserKnownHostsFile=false");
        }
        q.append("&include=").append(enc(d.setting("include", "(?i).*\\.zip")));
        q.append("&move=").append(enc(d.setting("done-folder", ".delivered") + "/${file:name}"));
        // a file still being uploaded is left alone until its size and time have not changed for min-age
        q.append("&readLock=changed&readLockMinAge=").append(
                org.springframework.boot.convert.DurationStyle.detectAndParse(d.setting("min-age", "2s")).toMillis());
        q.append("&connectTimeout=30000&timeout=60000&binary=true&disconnect=true&stepwise=false&recursive=false");
        // a failed connection or host key check comes back as the received exchange's exception, not only a log line
        q.append("&throwExceptionOnConnectFailed=true&bridgeErrorHandler=true&maximumReconnectAttempts=0");
        q.append("&autoCreate=false"); // never creates folders on the site's server (the move creates done-folder)
        String shown = "sftp://" + host + ":" + port + "/" + folder + "?" + q;
        String password = secrets.read(d, "password");
        String keyFile = d.setting("private-key-file", null);
        if (password != null) {
            q.append("&password=RAW(").append(password).append(")");
        }
        if (keyFile != null) {
            q.append("&privateKeyFile=").append(enc(keyFile));
            String passphrase = secrets.read(d, "passphrase");
            if (passphrase != null) {
                q.append("&privateKeyPassphrase=RAW(").append(passphrase).append(")");
            }
        }
        if (password == null && keyFile == null) {
            throw new IllegalArgumentException("source " + d.id() + ": password-env/-file or private-key-file is required");
        }
        this.uri = "sftp://" + host + ":" + port + "/" + folder + "?" + q;
        this.shownUri = shown;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public SourceDefinition definition() {
        return definition;
    }

    @Override
    public Map<String, Object> system() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", "SFTP folder");
        s.put("endpoint", shownUri); // without password or passphrase
        return s;
    }

    @Override
    public PullResult pull(SourceContext context) throws Exception {
        ConsumerTemplate consumer = camel.get().createConsumerTemplate();
        long fetched = 0;
        String last = null;
        try {
            Exchange exchange;
            while ((exchange = consumer.receive(uri, 10_000)) != null) {
                try {
                    if (exchange.getException() != null) {
                        throw exchange.getException();
                    }
                    String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
                    last = handOver(context.handover(), name, exchange.getIn().getBody(InputStream.class));
                    fetched++;
                } catch (Exception e) {
                    exchange.setException(e); // Camel leaves the file on the server
                    throw e;
                } finally {
                    consumer.doneUoW(exchange); // completes the exchange: on success Camel moves the file on the server
                }
            }
        } finally {
            consumer.stop();
        }
        context.store().counted(definition.id(), fetched, 0, 0);
        if (last != null) {
            context.store().delivered(definition.id(), null, last);
            return new PullResult("delivered", last, fetched, 0);
        }
        return new PullResult("unchanged", null, 0, 0);
    }

    /** Writes the file under a hidden name in the inbox, then renames it into the inbox (atomic). */
    private String handOver(DeliveryHandover handover, String fileName, InputStream body) throws Exception {
        String safe = fileName.replaceAll("[^A-Za-z0-9_.-]", "_");
        String name = definition.id() + "-" + safe;
        Path tmp = handover.hiddenFile(definition.id(), name);
        try (InputStream in = body) {
            Files.copy(in, tmp);
        }
        handover.moveIntoInbox(tmp, name);
        return name.replaceFirst("(?i)\\.zip$", "");
    }
}

package io.aigateway.routing.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.usage.UsageEvent;
import org.jboss.logging.Logger;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * Local file spool of usage events Kafka did not acknowledge in time: one JSON line per event in
 * {@code pending.jsonl}. A resend moves the file aside ({@code inflight-*.jsonl}), offers each event to
 * a sender, re-spools what was not delivered and then deletes the moved file; a crash in between only
 * causes a resend (same eventId: consumers are idempotent), never a loss. Blocking I/O: call it from
 * worker threads only.
 */
public final class UsageSpool {

    private static final Logger LOG = Logger.getLogger(UsageSpool.class);
    private static final String PENDING = "pending.jsonl";
    private static final String INFLIGHT_PREFIX = "inflight-";

    private final Path dir;
    private final ObjectMapper mapper;
    private final Object lock = new Object();
    /** Events in the spool files (pending and in flight); -1 until first counted. Guarded by {@link #lock}. */
    private long pending = -1;
    private final IntConsumer onDropped;

    public UsageSpool(Path dir, ObjectMapper mapper) {
        this(dir, mapper, n -> { });
    }

    /** @param onDropped told how many unreadable lines a resend dropped (metrics) */
    public UsageSpool(Path dir, ObjectMapper mapper, IntConsumer onDropped) {
        this.dir = dir;
        this.mapper = mapper;
        this.onDropped = onDropped;
    }

    public Path dir() {
        return dir;
    }

    /** Appends events, durably (DSYNC: on disk when this returns); throws only when the disk itself fails. */
    public void append(List<UsageEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        synchronized (lock) {
            try {
                Files.createDirectories(dir);
                try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(PENDING), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                        StandardOpenOption.DSYNC)) {
                    for (UsageEvent e : events) {
                        w.write(mapper.writeValueAsString(e));
                        w.write('\n');
                    }
                }
                if (pending >= 0) {
                    pending += events.size();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write usage spool in " + dir, e);
            }
        }
    }

    public void append(UsageEvent event) {
        append(List.of(event));
    }

    /**
     * Number of spooled events (pending and in flight), counted from the files once and then kept up to date by
     * appends and resends (no file reading per call: the metrics gauge reads it on each scrape).
     */
    public long pending() {
        synchronized (lock) {
            if (pending < 0) {
                pending = size();
            }
            return pending;
        }
    }

    /** Number of spooled events (pending and in flight), read from the files. */
    public int size() {
        synchronized (lock) {
            int n = 0;
            for (Path f : files()) {
                try (var lines = Files.lines(f, StandardCharsets.UTF_8)) {
                    n += (int) lines.filter(l -> !l.isBlank()).count();
                } catch (IOException e) {
                    LOG.warnf("cannot read usage spool file %s: %s", f.getFileName(), e.getMessage());
                }
            }
            return n;
        }
    }

    /**
     * Offers every spooled event to {@code sender} (true = delivered). After the first undelivered one,
     * the rest are kept without trying (Kafka is evidently still unavailable).
     *
     * @return number of events delivered
     */
    public int resend(Predicate<UsageEvent> sender) {
        List<Path> batches = new ArrayList<>();
        synchronized (lock) {
            Path pending = dir.resolve(PENDING);
            if (Files.exists(pending)) {
                Path moved = dir.resolve(INFLIGHT_PREFIX + System.nanoTime() + ".jsonl");
                try {
                    Files.move(pending, moved, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot rotate usage spool in " + dir, e);
                }
            }
            batches.addAll(files());
            batches.removeIf(p -> p.getFileName().toString().equals(PENDING));
        }
        int delivered = 0;
        boolean blocked = false;
        for (Path batch : batches) {
            List<UsageEvent> keep = new ArrayList<>();
            int dropped = 0;
            int events = 0;
            List<String> lines;
            try {
                lines = Files.readAllLines(batch, StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.warnf("cannot read usage spool file %s: %s", batch.getFileName(), e.getMessage());
                continue;
            }
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                events++;
                UsageEvent event;
                try {
                    event = mapper.readValue(line, UsageEvent.class);
                } catch (IOException e) {
                    LOG.warnf("dropping unreadable line of usage spool file %s", batch.getFileName());
                    dropped++;
                    continue;
                }
                if (!blocked && sender.test(event)) {
                    delivered++;
                } else {
                    blocked = true;
                    keep.add(event);
                }
            }
            append(keep);
            try {
                Files.deleteIfExists(batch);
                synchronized (lock) {
                    if (pending >= 0) {
                        pending = Math.max(0, pending - events);
                    }
                }
            } catch (IOException e) {
                LOG.warnf("cannot delete usage spool file %s: %s", batch.getFileName(), e.getMessage());
            }
            if (dropped > 0) {
                onDropped.accept(dropped);
            }
        }
        return delivered;
    }

    private List<Path> files() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jsonl")) {
            for (Path p : ds) {
                out.add(p);
            }
        } catch (IOException e) {
            LOG.warnf("cannot list usage spool %s: %s", dir, e.getMessage());
        }
        out.sort(null);
        return out;
    }
}

package io.aigateway.usage.providerhealth.repository;

import io.aigateway.usage.providerhealth.rest.HistoryPage;
import io.aigateway.usage.providerhealth.rest.HistoryParams;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Newest-first keyset pages over a table with {@code id} and {@code occurred_at} (and an index on
 * {@code (…, occurred_at DESC, id DESC)}): the query asks for one row more than the page, and the extra row's
 * presence says whether a next page exists; the cursor is the last served row's {@code (occurred_at, id)}.
 */
public final class KeysetPages {

    private KeysetPages() {
    }

    /**
     * Appends the window, the cursor condition, the order and the limit to a query whose WHERE clause is open
     * (ends with a condition or {@code WHERE true}), adding their arguments to {@code args}.
     */
    public static String finish(StringBuilder sql, Tuple args, HistoryParams.TimeRange range,
                                HistoryParams.Cursor cursor, int limit) {
        args.addValue(OffsetDateTime.ofInstant(range.from(), ZoneOffset.UTC));
        sql.append(" AND occurred_at >= $").append(args.size());
        args.addValue(OffsetDateTime.ofInstant(range.to(), ZoneOffset.UTC));
        sql.append(" AND occurred_at < $").append(args.size());
        if (cursor != null) {
            args.addValue(OffsetDateTime.ofInstant(cursor.occurredAt(), ZoneOffset.UTC));
            args.addValue(cursor.id());
            sql.append(" AND (occurred_at, id) < ($").append(args.size() - 1).append(", $").append(args.size())
                    .append(')');
        }
        args.addValue(limit + 1);
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT $").append(args.size());
        return sql.toString();
    }

    public static <T> HistoryPage<T> page(RowSet<Row> rows, int limit, Function<Row, T> mapper) {
        List<T> out = new ArrayList<>(Math.min(rows.size(), limit));
        Row last = null;
        String next = null;
        for (Row row : rows) {
            if (out.size() == limit) {
                next = new HistoryParams.Cursor(last.getOffsetDateTime("occurred_at").toInstant(), last.getLong("id"))
                        .encode();
                break;
            }
            out.add(mapper.apply(row));
            last = row;
        }
        return new HistoryPage<>(out, next);
    }
}

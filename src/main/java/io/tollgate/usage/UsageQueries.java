package io.tollgate.usage;

import java.time.Instant;
import javax.sql.DataSource;

/**
 * The read side of the request log, for the admin API's stats and log search: the database the rows are written
 * to, and when this instance started (its uptime is reported beside the numbers).
 */
public record UsageQueries(DataSource dataSource, Instant started) {
}

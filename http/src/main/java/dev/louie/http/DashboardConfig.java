package dev.louie.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sealed dashboard options of a {@link LouieHttp}, copied from its builder at
 * {@link LouieHttp.Builder#start()} and checked in one place.
 *
 * @param enabled     whether {@code /dashboard} is served
 * @param readOnly    whether actions are hidden and refused with 403
 * @param remote      whether clients other than loopback ones may use it
 * @param batchers    batcher and model panels by name, in the order given
 */
record DashboardConfig(boolean enabled, boolean readOnly, boolean remote, Map<String, DashboardBatcher> batchers) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    static DashboardConfig of(LouieHttp.Builder b) {
        List<String> errors = new ArrayList<>();
        Map<String, DashboardBatcher> batchers = new LinkedHashMap<>();
        b.dashboardBatchers.forEach((name, panel) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                errors.add("dashboardBatcher name must be 1 to 64 of A-Za-z0-9._-, not '" + name + "'");
            } else if (panel == null) {
                errors.add("dashboardBatcher '" + name + "' must be a DashboardBatcher, not null");
            } else {
                batchers.put(name, panel);
            }
        });
        if (!b.dashboard && (b.dashboardReadOnly || b.dashboardRemote || !batchers.isEmpty())) {
            errors.add("dashboard must be true when dashboardReadOnly, dashboardRemote or dashboardBatcher is set, not false");
        }
        if (b.dashboard && !(b.louie.storage() instanceof dev.louie.core.storage.StorageInspection)) {
            errors.add("dashboard needs a storage that implements StorageInspection (memory, SQLite and Redis do) to list queues, not "
                    + b.louie.storage().getClass().getName());
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid LouieHttp configuration: " + String.join("; ", errors));
        }
        return new DashboardConfig(b.dashboard, b.dashboardReadOnly, b.dashboardRemote, Collections.unmodifiableMap(batchers));
    }
}

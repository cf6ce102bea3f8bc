package org.celltrial.adapter.ingest.source;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A source pulled incrementally into its mirror ({@link SourceStateStore}): each pull fetches what changed since the
 * watermark (and what was deleted) into the mirror, then, if anything changed, delivers the whole mirror as one
 * snapshot delivery. Order of steps, for crash safety:
 * <ol>
 *   <li>before the first change to the mirror, the source is marked <i>pending</i>;</li>
 *   <li>the mirror is changed;</li>
 *   <li>the snapshot is written and renamed into the inbox;</li>
 *   <li>the new watermark is stored and <i>pending</i> cleared.</li>
 * </ol>
 * A crash before step 4 leaves the old watermark and <i>pending</i>: the next pull fetches the same changes again
 * (writing the same mirror entries) and delivers, whatever it finds. Nothing is lost; what is delivered twice is
 * absorbed by the idempotent ingest (same ids, unchanged content not rewritten).
 */
public abstract class MirrorSource implements Source {

    /** What one fetch found: a new watermark, whether the mirror changed, and counts. */
    public record Fetched(String watermark, boolean changed, long fetched, long deleted, Map<String, Object> request) {
    }

    /**
     * Fetches the changes since {@code watermark} (null on the first pull: everything) into the mirror; calls
     * {@code beforeChange} before its first change to the mirror.
     */
    protected abstract Fetched fetch(SourceContext context, String watermark, Runnable beforeChange) throws Exception;

    @Override
    public final PullResult pull(SourceContext context) throws Exception {
        String id = definition().id();
        SourceStateStore store = context.store();
        SourceStateStore.State state = store.state(id);
        boolean[] marked = {state.pending()};
        Fetched f = fetch(context, state.watermark(), () -> {
            if (!marked[0]) {
                store.markPending(id);
                marked[0] = true;
            }
        });
        store.counted(id, f.fetched(), f.deleted(), 0);
        if (!f.changed() && !state.pending()) {
            store.advance(id, f.watermark());
            return new PullResult("unchanged", null, f.fetched(), f.deleted());
        }
        DeliveryHandover.Draft draft = context.handover().draft(id);
        try {
            Map<String, Object> description = new LinkedHashMap<>();
            description.put("source", id);
            description.put("type", definition().type());
            description.put("mappingSet", definition().mappingSet());
            description.put("system", system());
            description.put("request", f.request());
            description.put("previousWatermark", state.watermark());
            description.put("watermark", f.watermark());
            description.put("createdAt", Instant.now().toString());
            description.put("datasets", draft.datasetsFromMirror(store, id));
            draft.sourceJson(description);
            draft.handOver();
        } catch (Exception | Error e) {
            draft.discard();
            throw e;
        }
        store.delivered(id, f.watermark(), draft.name());
        return new PullResult("delivered", draft.name(), f.fetched(), f.deleted());
    }
}

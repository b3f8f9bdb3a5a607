package dev.berth.manager.task.shim;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.api.events.TaskExit;
import dev.berth.log.Log;
import dev.berth.manager.event.Envelope;
import dev.berth.manager.event.Forwarder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Passes shims' events on, each {@code /tasks/exit} once. A berth-shim server that takes containers over from an
 * earlier server that died publishes every exit their monitors kept, and the dead server may have published some
 * of them already: the same process's exit comes again, with the same pid and the same exit time (the monitor's
 * record), which is what identifies it here. The last {@value #REMEMBERED} exits are remembered.
 */
final class ExitDeduplication implements Forwarder {
    private static final Log LOG = Log.of(ExitDeduplication.class);
    private static final String TASK_EXIT = "/tasks/exit";
    static final int REMEMBERED = 4096;

    private record Key(String namespace, String containerId, String id, int pid, long seconds, int nanos) {}

    private final Forwarder next;
    private final Map<Key, Boolean> seen = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    ExitDeduplication(Forwarder next) {
        this.next = next;
    }

    @Override
    public void forward(Envelope envelope) {
        if (envelope.topic().equals(TASK_EXIT) && !firstTime(envelope)) {
            LOG.debug("exit published again by a shim; dropped", "namespace", envelope.namespace());
            return;
        }
        next.forward(envelope);
    }

    private boolean firstTime(Envelope envelope) {
        TaskExit exit;
        try {
            exit = TaskExit.parseFrom(envelope.event().getValue());
        } catch (InvalidProtocolBufferException e) {
            return true; // the exchange's subscribers see what the shim sent
        }
        Key key = new Key(envelope.namespace(), exit.getContainerId(), exit.getId(), exit.getPid(),
                exit.getExitedAt().getSeconds(), exit.getExitedAt().getNanos());
        synchronized (seen) {
            return seen.put(key, Boolean.TRUE) == null;
        }
    }
}

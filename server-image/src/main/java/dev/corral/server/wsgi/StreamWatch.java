package dev.corral.server.wsgi;

/**
 * What a streamed response tells the call it belongs to, on the worker thread: a chunk went to the
 * socket, or the worker waits for a slow client to take what was sent. Budgets bound the handler's own
 * work, so they start over at each chunk and do not run while the client is the one being slow.
 */
public interface StreamWatch {
    StreamWatch NONE = new StreamWatch() {
        @Override
        public void chunkWritten() {
        }

        @Override
        public void waitingForClient(boolean waiting) {
        }
    };

    void chunkWritten();

    void waitingForClient(boolean waiting);
}

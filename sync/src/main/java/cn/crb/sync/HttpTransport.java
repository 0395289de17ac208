package cn.crb.sync;

import okhttp3.OkHttpClient;

import java.time.Duration;

/**
 * The workstation's one HTTP stack (OkHttp): connection pool, dispatcher threads and timeouts.
 * Create one per application (or per command) and close it when done so that its threads stop.
 */
public final class HttpTransport implements AutoCloseable {
    private final OkHttpClient client;

    public HttpTransport() {
        this.client = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30))
                .writeTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofSeconds(60))
                .build();
    }

    OkHttpClient client() { return client; }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}

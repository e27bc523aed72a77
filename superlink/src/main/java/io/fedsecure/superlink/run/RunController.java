package io.fedsecure.superlink.run;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.fedsecure.proto.control.ListRunsResponse;
import io.fedsecure.proto.control.LogEntry;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.StartRunRequest;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/** Control API: runs (see control.proto). Bodies are protobuf messages in their JSON mapping. */
@RestController
@RequestMapping("/v1/runs")
public class RunController {

  private static final Logger log = LoggerFactory.getLogger(RunController.class);
  private static final MediaType NDJSON = MediaType.APPLICATION_NDJSON;

  private final RunService runs;
  private final LogFollower follower;
  private final ExecutorService logStreams;
  private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();

  public RunController(RunService runs, LogFollower follower, ExecutorService runLogStreams) {
    this.runs = runs;
    this.follower = follower;
    this.logStreams = runLogStreams;
  }

  @PostMapping
  public ResponseEntity<RunInfo> start(@RequestBody StartRunRequest request) {
    try {
      return ResponseEntity.status(HttpStatus.CREATED).body(runs.start(request.getRunConfigMap()));
    } catch (InvalidRunConfigException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
  }

  @GetMapping
  public ListRunsResponse list() {
    return ListRunsResponse.newBuilder().addAllRuns(runs.list()).build();
  }

  @GetMapping("/{runId}")
  public RunInfo get(@PathVariable("runId") String runId) {
    try {
      return runs.get(parseId(runId));
    } catch (RunNotFoundException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
    }
  }

  @PostMapping("/{runId}/stop")
  public RunInfo stop(@PathVariable("runId") String runId) throws InterruptedException {
    try {
      return runs.stop(parseId(runId));
    } catch (RunNotFoundException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
    } catch (RunNotStoppableException e) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
    }
  }

  /** NDJSON: one LogEntry per line; with follow=true the response stays open until the run ends. */
  @GetMapping(
      value = "/{runId}/log",
      produces = {"application/x-ndjson", "application/json"})
  public ResponseEntity<ResponseBodyEmitter> log(
      @PathVariable("runId") String runId,
      @RequestParam(name = "after", defaultValue = "0") long after,
      @RequestParam(name = "follow", defaultValue = "false") boolean follow) {
    long id = parseId(runId);
    try {
      runs.get(id);
    } catch (RunNotFoundException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
    }
    if (after < 0) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST, "after must be a sequence number >= 0, got " + after);
    }
    // No timeout: a followed log legitimately stays open for the whole run.
    ResponseBodyEmitter emitter = new ResponseBodyEmitter(-1L);
    AtomicBoolean gone = new AtomicBoolean();
    Runnable hangUp = () -> gone.set(true);
    emitter.onCompletion(hangUp);
    emitter.onError(e -> hangUp.run());
    emitter.onTimeout(hangUp);
    try {
      logStreams.execute(
          () -> {
            try {
              follower.stream(
                  id, after, follow, entry -> emitter.send(line(entry), NDJSON), gone::get);
              emitter.complete();
            } catch (IOException e) {
              // The client went away; nothing left to tell it.
              log.debug("Log stream of run {} ended: {}", id, e.getMessage());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              emitter.complete();
            } catch (RunNotFoundException | RuntimeException e) {
              emitter.completeWithError(e);
            }
          });
    } catch (RejectedExecutionException e) {
      throw new ResponseStatusException(
          HttpStatus.SERVICE_UNAVAILABLE, "too many log streams open; try again later");
    }
    return ResponseEntity.ok().contentType(NDJSON).body(emitter);
  }

  private String line(LogEntry entry) {
    try {
      return printer.print(entry) + "\n";
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long parseId(String runId) {
    try {
      return Long.parseUnsignedLong(runId);
    } catch (NumberFormatException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no run with id " + runId);
    }
  }
}

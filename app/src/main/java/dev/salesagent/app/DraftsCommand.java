package dev.salesagent.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.outreach.OutreachGrounding;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.review.Draft;
import dev.salesagent.agent.review.DraftId;
import dev.salesagent.agent.review.DraftReview;
import dev.salesagent.agent.review.DraftStatus;
import dev.salesagent.agent.review.DraftStore;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.server.sales.DraftsApi;
import dev.salesagent.store.Database;
import dev.salesagent.store.lead.JdbiLeadRepository;
import dev.salesagent.store.review.JdbiDraftStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sales-agent drafts list|show|approve|reject|edit}: the review queue from the command line, on the database
 * {@code serve} and {@code run} use (shared with a running {@code serve}: {@link Database#open}). The operator acts as
 * the admins: decisions are recorded with no key id ({@code by.key_id: null, admin: true}). Output is the HTTP API's
 * JSON, one object per line. Exit codes: 0 done, 2 a usage error, an unknown draft, a decision that does not apply to
 * the draft's state, or an edit that breaks the grounding rules (each violation on its own stderr line).
 */
@Command(name = "drafts", mixinStandardHelpOptions = true, description = "Review outreach drafts: list, show, approve, reject, edit.",
    subcommands = {DraftsCommand.ListDrafts.class, DraftsCommand.Show.class, DraftsCommand.Approve.class,
        DraftsCommand.Reject.class, DraftsCommand.Edit.class})
final class DraftsCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.err);
  }

  /** What every subcommand takes. */
  abstract static class Base implements Callable<Integer> {
    @Option(names = "--db-url", description = "JDBC URL (default: $SALES_AGENT_DB_URL, else ./data/sales-agent)")
    String dbUrl;

    @Option(names = "--icp", paramLabel = "FILE", description = "sender and scoring config the grounding check uses (default: SALES_AGENT_ICP or the bundled scoring.yaml)")
    Path icp;

    abstract String name();

    abstract int work(DraftReview review) throws Exception;

    @Override
    public Integer call() {
      try (Database db = KeysCommand.open(dbUrl)) {
        ScoringConfig scoring = ScoringConfig.resolve(icp, RouterBoot.env());
        DraftReview review = new DraftReview(new JdbiDraftStore(db), new JdbiLeadRepository(db),
            new OutreachGrounding(scoring), Clock.systemUTC());
        return work(review);
      } catch (DraftReview.GroundingFailed g) {
        System.err.println("drafts " + name() + ": the edit breaks the grounding rules; nothing was saved:");
        g.violations().forEach(v -> System.err.println("  " + v));
        return Main.EXIT_USAGE;
      } catch (DraftReview.NotFound | DraftReview.Conflict | IllegalArgumentException e) {
        System.err.println("drafts " + name() + ": " + e.getMessage());
        return Main.EXIT_USAGE;
      } catch (Exception e) {
        System.err.println("drafts " + name() + ": " + Failures.describe(e));
        return Main.EXIT_USAGE;
      }
    }

    static DraftId id(String s) {
      return DraftId.parse(s.strip());
    }

    static void print(ObjectNode o) {
      System.out.println(AgentJson.write(o));
    }

    /** The draft and its decisions, as {@code GET /v1/drafts/{id}} answers. */
    static int printDetail(DraftReview review, DraftId id, Function<DraftReview, Draft> decision) {
      Draft d = decision.apply(review);
      ObjectNode o = DraftsApi.draftJson(d);
      ArrayNode decisions = o.putArray("decisions");
      review.history(Actor.operator(), id).forEach(x -> decisions.add(DraftsApi.decisionJson(x)));
      print(o);
      return Main.EXIT_OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Drafts, newest first, one JSON object per line.")
  static final class ListDrafts extends Base {
    @Option(names = "--status", description = "pending, approved or rejected (default: all)")
    String status;

    @Option(names = "--run", description = "only this run's drafts (run id; `api` = drafted through the HTTP API)")
    String run;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many (1..200, default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--cursor", description = "continue after the page that printed this cursor")
    String cursor;

    @Override
    String name() { return "list"; }

    @Override
    int work(DraftReview review) {
      if (limit < 1 || limit > DraftReview.MAX_PAGE) throw new IllegalArgumentException("--limit must be in 1.." + DraftReview.MAX_PAGE);
      DraftStore.DraftQuery q = new DraftStore.DraftQuery(status == null ? null : DraftStatus.fromWire(status), run);
      DraftReview.Page page = review.list(Actor.operator(), q, cursor == null ? null : DraftStore.Cursor.parse(cursor), limit);
      page.drafts().forEach(d -> print(DraftsApi.draftJson(d)));
      if (page.next() != null) System.err.println("more: drafts list --cursor " + page.next().wire());
      return Main.EXIT_OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One draft with every decision on it.")
  static final class Show extends Base {
    @Parameters(index = "0", paramLabel = "ID", description = "draft id (<run id>.<lead id>)")
    String id;

    @Override
    String name() { return "show"; }

    @Override
    int work(DraftReview review) {
      DraftId d = id(id);
      return printDetail(review, d, r -> r.show(Actor.operator(), d));
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a draft as it stands: it is then ready to send.")
  static final class Approve extends Base {
    @Parameters(index = "0", paramLabel = "ID", description = "draft id")
    String id;

    @Override
    String name() { return "approve"; }

    @Override
    int work(DraftReview review) {
      DraftId d = id(id);
      return printDetail(review, d, r -> r.approve(Actor.operator(), d));
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a draft, with the reason.")
  static final class Reject extends Base {
    @Parameters(index = "0", paramLabel = "ID", description = "draft id")
    String id;

    @Option(names = "--reason", required = true, description = "why (recorded with the decision)")
    String reason;

    @Override
    String name() { return "reject"; }

    @Override
    int work(DraftReview review) {
      DraftId d = id(id);
      return printDetail(review, d, r -> r.reject(Actor.operator(), d, reason));
    }
  }

  @Command(name = "edit", mixinStandardHelpOptions = true,
      description = "Replace a draft's subject and body; the grounding rules are checked again and the draft stays pending.")
  static final class Edit extends Base {
    @Parameters(index = "0", paramLabel = "ID", description = "draft id")
    String id;

    @Option(names = "--subject", required = true, description = "the new subject")
    String subject;

    @Option(names = "--body", description = "the new body (without the unsubscribe line, which is added from configuration)")
    String body;

    @Option(names = "--body-file", paramLabel = "FILE", description = "read the new body from FILE (UTF-8)")
    Path bodyFile;

    @Option(names = "--call-to-action", description = "a new call to action (default: keep the draft's)")
    String callToAction;

    @Override
    String name() { return "edit"; }

    @Override
    int work(DraftReview review) throws IOException {
      if ((body == null) == (bodyFile == null)) throw new IllegalArgumentException("give the new body with exactly one of --body or --body-file");
      String text = body != null ? body : Files.readString(bodyFile, StandardCharsets.UTF_8);
      DraftId d = id(id);
      return printDetail(review, d, r -> r.edit(Actor.operator(), d, subject, text, callToAction));
    }
  }
}

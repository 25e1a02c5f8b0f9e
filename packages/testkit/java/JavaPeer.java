// RocketMQ's own Java client, as a peer for interoperability tests and as the baseline of the
// client benchmark. Run in source-launcher mode (java -cp <rocketmq jars> JavaPeer.java …), so
// nothing is built. Output is one line per fact, fields separated by tabs, text base64-encoded.
//
//   produce <namesrv> <topic> <count> <bodyBytes>   sends messages like the interop test expects
//   consume <namesrv> <topic> <group> <count>       prints every message from offset 0 on
//   bench-produce <namesrv> <topic> <count> <bodyBytes> <batch>
//   bench-pull <namesrv> <topic> <group> <count>
// Credentials come from the env vars ACCESS_KEY / SECRET_KEY when set.
import java.nio.charset.StandardCharsets;
import java.util.*;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.RPCHook;

public class JavaPeer {
  static RPCHook hook() {
    String ak = System.getenv("ACCESS_KEY");
    return ak == null ? null : new AclClientRPCHook(new SessionCredentials(ak, System.getenv("SECRET_KEY")));
  }

  static String b64(String s) {
    return s == null ? "" : Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static DefaultMQProducer producer(String ns) throws Exception {
    DefaultMQProducer p = new DefaultMQProducer("java-peer-producer", hook());
    p.setNamesrvAddr(ns);
    p.setInstanceName("peer-" + ProcessHandle.current().pid());
    p.setSendMsgTimeout(10000);
    p.setMaxMessageSize(8 * 1024 * 1024);
    p.start();
    return p;
  }

  static DefaultLitePullConsumer consumer(String ns, String topic, String group) throws Exception {
    DefaultLitePullConsumer c = new DefaultLitePullConsumer(group, hook());
    c.setNamesrvAddr(ns);
    c.setInstanceName("peer-" + ProcessHandle.current().pid());
    c.setAutoCommit(false);
    c.setPullBatchSize(32);
    c.start();
    Collection<MessageQueue> queues = c.fetchMessageQueues(topic);
    c.assign(queues);
    // The first request on a fresh broker connection now and then fails to be written (seen on
    // this 2-core machine right after broker start); a few tries make the peer dependable.
    for (MessageQueue q : queues) {
      for (int attempt = 1; ; attempt++) {
        try {
          c.seek(q, 0);
          break;
        } catch (Exception e) {
          if (attempt == 5) throw e;
          Thread.sleep(500);
        }
      }
    }
    return c;
  }

  public static void main(String[] args) {
    // The client's threads are not daemons: exit explicitly, on failure too, or the JVM lingers.
    try {
      run(args);
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }

  static void run(String[] args) throws Exception {
    String ns = args[1];
    String topic = args[2];
    switch (args[0]) {
      case "produce" -> {
        int count = Integer.parseInt(args[3]);
        int size = Integer.parseInt(args[4]);
        DefaultMQProducer p = producer(ns);
        for (int i = 0; i < count; i++) {
          // Bodies over 4 KiB are compressed by the Java client (zlib): the decoder must undo that.
          StringBuilder body = new StringBuilder("java-" + i + "-ünïcødé-订单-");
          while (body.length() < size) body.append((char) ('a' + (i + body.length()) % 26));
          Message m = new Message(topic, "TagJava", "jk" + i + " shared", body.toString().getBytes(StandardCharsets.UTF_8));
          m.putUserProperty("seq", Integer.toString(i));
          m.putUserProperty("lang", "java ☕");
          SendResult r = p.send(m);
          System.out.println("SENT\t" + r.getMsgId() + "\t" + r.getSendStatus());
        }
        p.shutdown();
      }
      case "consume" -> {
        String group = args[3];
        int count = Integer.parseInt(args[4]);
        DefaultLitePullConsumer c = consumer(ns, topic, group);
        int got = 0;
        long deadline = System.currentTimeMillis() + 60000;
        while (got < count && System.currentTimeMillis() < deadline) {
          for (MessageExt m : c.poll(1000)) {
            Map<String, String> props = new TreeMap<>(m.getProperties());
            StringBuilder user = new StringBuilder();
            for (Map.Entry<String, String> e : props.entrySet()) {
              if (MessageConst.STRING_HASH_SET.contains(e.getKey())) continue;
              user.append(e.getKey()).append('\u0001').append(e.getValue()).append('\u0002');
            }
            System.out.println("MSG\t" + m.getMsgId() + "\t" + m.getQueueId() + "\t" + m.getQueueOffset() + "\t"
                + Base64.getEncoder().encodeToString(m.getBody() == null ? new byte[0] : m.getBody()) + "\t" + b64(m.getTags()) + "\t" + b64(m.getKeys())
                + "\t" + b64(user.toString()));
            got++;
          }
        }
        c.shutdown();
      }
      case "bench-produce" -> {
        int count = Integer.parseInt(args[3]);
        int size = Integer.parseInt(args[4]);
        int batch = Integer.parseInt(args[5]);
        DefaultMQProducer p = producer(ns);
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        // Warm-up (route, connection, JIT), as the Node side does: same kind of send, not timed.
        int warm = Math.min(2000, count / 10);
        for (int i = 0; i < Math.max(1, warm); i += Math.max(1, batch)) {
          if (batch <= 1) p.send(new Message(topic, body));
          else {
            List<Message> list = new ArrayList<>();
            for (int j = 0; j < batch; j++) list.add(new Message(topic, body));
            p.send(list);
          }
        }
        long t0 = System.nanoTime();
        if (batch <= 1) {
          for (int i = 0; i < count; i++) p.send(new Message(topic, body));
        } else {
          for (int i = 0; i < count; i += batch) {
            List<Message> list = new ArrayList<>();
            for (int j = 0; j < batch && i + j < count; j++) list.add(new Message(topic, body));
            p.send(list);
          }
        }
        long ns1 = System.nanoTime() - t0;
        System.out.println("RESULT\t" + count + "\t" + (ns1 / 1_000_000.0));
        p.shutdown();
      }
      case "bench-pull" -> {
        String group = args[3];
        int count = Integer.parseInt(args[4]);
        long t0 = System.nanoTime();
        DefaultLitePullConsumer c = consumer(ns, topic, group);
        int got = 0;
        long deadline = System.currentTimeMillis() + 120000;
        while (got < count && System.currentTimeMillis() < deadline) got += c.poll(1000).size();
        long ns1 = System.nanoTime() - t0;
        System.out.println("RESULT\t" + got + "\t" + (ns1 / 1_000_000.0));
        c.shutdown();
      }
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }
}

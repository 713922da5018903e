package io.distillery.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EmailTextTest {
  @Test
  void plainEmailGivesSubjectThenCollapsedBody() {
    String raw =
        "From someone@example.com  Wed Dec  4 11:52:36 2002\n"
            + "Subject: Hello\n   there\n"
            + "To: a@b.c\n\n"
            + "First   line\n\n second\tline \n";
    assertEquals("Hello there\nFirst line second line", EmailText.modelText(raw));
  }

  @Test
  void encodedSubjectWordsAreDecodedAndJoined() {
    String b64 = Base64.getEncoder().encodeToString("Grüße".getBytes(StandardCharsets.UTF_8));
    String raw = "Subject: =?utf-8?B?" + b64 + "?= =?iso-8859-1?Q?aus_K=F6ln?=\n\nbody";
    assertEquals("Grüßeaus Köln\nbody", EmailText.modelText(raw));
  }

  @Test
  void multipartAlternativePrefersPlainTextAndSkipsAttachments() {
    String raw =
        "Subject: s\n"
            + "Content-Type: multipart/mixed; boundary=\"OUT\"\n\n"
            + "preamble is ignored\n"
            + "--OUT\n"
            + "Content-Type: multipart/alternative; boundary=IN\n\n"
            + "--IN\n"
            + "Content-Type: text/plain; charset=us-ascii\n\n"
            + "plain words\n"
            + "--IN\n"
            + "Content-Type: text/html\n\n"
            + "<p>html words</p>\n"
            + "--IN--\n"
            + "--OUT\n"
            + "Content-Type: application/octet-stream\n"
            + "Content-Disposition: attachment; filename=x.bin\n"
            + "Content-Transfer-Encoding: base64\n\n"
            + "AAAAAAAA\n"
            + "--OUT--\n"
            + "epilogue is ignored\n";
    assertEquals("s\nplain words", EmailText.modelText(raw));
  }

  @Test
  void base64HtmlPartIsDecodedAndStripped() {
    String html =
        "<html><head><style>p {color: red}</style></head><body><!-- hidden -->"
            + "<p>Buy&nbsp;now &amp; save</p><script>var x = 1;</script></body></html>";
    String b64 = Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.ISO_8859_1));
    String raw =
        "Subject: offer\n"
            + "Content-Type: text/html; charset=\"iso-8859-1\"\n"
            + "Content-Transfer-Encoding: base64\n\n"
            + b64
            + "\n";
    assertEquals("offer\nBuy now & save", EmailText.modelText(raw));
  }

  @Test
  void quotedPrintableSoftBreaksAndEscapesAreDecoded() {
    String raw =
        "Subject: qp\n"
            + "Content-Type: text/plain; charset=utf-8\n"
            + "Content-Transfer-Encoding: quoted-printable\n\n"
            + "caf=C3=A9 is a lo=\nng word=20here\n";
    assertEquals("qp\ncafé is a long word here", EmailText.modelText(raw));
  }

  @Test
  void bodyIsCutAfterTwoHundredWords() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 250; i++) {
      body.append("w").append(i).append(i % 7 == 0 ? "\n" : " ");
    }
    String text = EmailText.modelText("Subject: long\n\n" + body);
    String[] lines = text.split("\n");
    assertEquals(2, lines.length);
    String[] words = lines[1].split(" ");
    assertEquals(EmailText.MAX_BODY_WORDS, words.length);
    assertEquals("w199", words[words.length - 1]);
  }

  @Test
  void missingSubjectAndBodyStillGiveTheSeparator() {
    assertEquals("\n", EmailText.modelText("X-Header: only\n"));
    String plainWithAngles = "Subject: a\n\nwrite to <me@example.com> if 1 < 2";
    assertTrue(EmailText.modelText(plainWithAngles).contains("<me@example.com>"));
    assertFalse(EmailText.modelText("Subject: x\n\n<div>tag</div>").contains("<div>"));
  }
}

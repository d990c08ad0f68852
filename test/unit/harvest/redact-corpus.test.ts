import { describe, expect, it } from "vitest";
import { redactText, redactValue } from "../../../src/harvest/redact.js";

// The redaction corpus: what a user expects to leave shadowdiff untouched, and what must never
// leave it. Each row is checked on its own, inside a sentence (the text around it must come back
// byte for byte), and inside JSON-ish text.

const survives: readonly string[] = [
  // dates and date-times
  "2024-05-15",
  "2024-05-15T15:00:00Z",
  "2024-05-15 15:00:00 EST",
  "2024-05-15T15:00:00.123+02:00",
  "on 2024-05-20 (11:00 AM)",
  "2024-05-15 2024-05-16",
  "15.05.2024",
  "05/15/2024 10:30",
  "01.02.2024 00:00",
  "20240515153003",
  // times
  "11:00 AM",
  "15:00:00",
  "UTC+05:30",
  // amounts
  "1234.56",
  "$1,234.56",
  "1 234,56 €",
  "1\u00a0234\u00a0567,89 €",
  "total 1234.56 2024",
  "12,345,678.90 USD",
  // order, account, product ids
  "ORD-2024-000123",
  "#W8732376",
  "acct 0012345678",
  "order 4155552671 shipped",
  "gift_card_7794233",
  "credit_card_4421486",
  "INV-4242424242424242",
  // UUIDs
  "2a5ae5f1-4382-4a9c-a888-849f477ef5bb",
  "12345678-1234-5678-1234-567812345678",
  // versions
  "1.2.3",
  "v2024.05.1",
  "node 20.19.43",
  "lodash@4.17.21",
  // IP addresses
  "192.168.100.200",
  "10.0.0.1",
  "203.0.113.195:8080",
  "2001:db8:85a3::8a2e:370:7334",
  "::ffff:192.168.1.1",
  // epoch timestamps (1715785200009 passes the Luhn check, so a bare Luhn rule would take it)
  "1715785200",
  "1715785200009",
  "1715785200000000",
  // fractions: 0.4242424242424242 has Luhn-valid digits after the point
  "0.4242424242424242",
  "0.123456789",
  // ISBNs and tracking numbers
  "978-3-16-148410-0",
  "ISBN 0-306-40615-2",
  "9780306406157",
  "1Z999AA10123456784",
  "9400 1000 0000 0000 0000 00",
  "7946 1234 5678",
  // things that only look like the placeholders' sources
  "@channel",
  "a@b",
  "not a card 4111 1111 1111 1112",
];

const phones: readonly string[] = [
  // E.164, any country
  "+14155552671",
  "+1 415 555 2671",
  "+1 (415) 555-2671",
  "+44 20 7946 0958",
  "+44 (0)20 7946 0958",
  "+44 7700 900123",
  "+49 30 901820",
  "+49 151 23456789",
  "+33 1 42 68 53 00",
  "+81 3-1234-5678",
  "+55 11 91234-5678",
  "+91 98765 43210",
  "+61 412 345 678",
  "+86 138 0013 8000",
  "0044 20 7946 0958",
  // US national
  "(415) 555-2671",
  "(415)555-2671",
  "415-555-2671",
  "415.555.2671",
  "415 555 2671",
  "1-800-555-0199",
  "555-123-4567",
  // UK national
  "020 7946 0958",
  "07700 900123",
  "0161 496 0000",
  // German national
  "030 901820",
  "0151 23456789",
  "030/901820",
  "(030) 901820",
  "089 1234567",
  // French national
  "01 42 68 53 00",
  "06 12 34 56 78",
  "06.12.34.56.78",
  "06-12-34-56-78",
  // Japanese national
  "03-1234-5678",
];

const cards: readonly string[] = [
  "4242 4242 4242 4242",
  "4242-4242-4242-4242",
  "4242424242424242",
  "5555 5555 5555 4444",
  "2223 0031 2200 3222",
  "6011 1111 1111 1117",
  "3782 822463 10005",
  "378282246310005",
  "3056 930902 5904",
  "6205 5000 0000 0000 004",
  "6205500000000000004",
  "4222222222222",
];

const emails: readonly string[] = [
  "jane.doe+shop@example.co.uk",
  "JANE.DOE@EXAMPLE.COM",
  "ops-team@mail.eu.example.org",
  "a_b%c@x-y.io",
  "user123@sub.domain.example",
];

describe("redaction corpus: survives unchanged", () => {
  it.each(survives)("%s", (text) => {
    expect(redactText(text)).toBe(text);
    expect(redactText(`Noted: ${text}, then more.`)).toBe(`Noted: ${text}, then more.`);
    expect(redactText(`{"value": "${text}"}`)).toBe(`{"value": "${text}"}`);
  });
});

describe("redaction corpus: scrubbed, and nothing around it changes", () => {
  const cases = [
    ...phones.map((text) => [text, "<phone>"] as const),
    ...cards.map((text) => [text, "<card>"] as const),
    ...emails.map((text) => [text, "<email>"] as const),
  ];
  it.each(cases)("%s → %s", (text, placeholder) => {
    expect(redactText(text)).toBe(placeholder);
    expect(redactText(`Reach me on ${text}, thanks.`)).toBe(`Reach me on ${placeholder}, thanks.`);
    expect(redactText(`(${text})`)).toBe(`(${placeholder})`);
    expect(redactText(`"${text}"`)).toBe(`"${placeholder}"`);
    expect(redactText(`line one\n${text}\nline three`)).toBe(`line one\n${placeholder}\nline three`);
  });
});

describe("redaction corpus: mixed sentences", () => {
  it.each([
    [
      "Current time: 2024-05-15 15:00:00 EST. Call +1 (415) 555-2671 before 2024-05-20 (11:00 AM).",
      "Current time: 2024-05-15 15:00:00 EST. Call <phone> before 2024-05-20 (11:00 AM).",
    ],
    [
      "Order #W8732376 total $1,234.56, card 4242 4242 4242 4242 exp 12/27, mail jane@example.com",
      "Order #W8732376 total $1,234.56, card <card> exp 12/27, mail <email>",
    ],
    ["tel:+14155552671", "tel:<phone>"],
    ["mailto:jane@example.com?subject=hi", "mailto:<email>?subject=hi"],
    ["<jane@example.com>", "<<email>>"],
    ["wait...jane@example.com", "wait...<email>"],
    ["card 4242424242424242 then 2025", "card <card> then 2025"],
    ["4242 4242 4242 4242 2025", "<card> 2025"],
    ["Call 415-555-2671 2 times", "Call <phone> 2 times"],
    ["phones: 415-555-2671, 212-555-0123", "phones: <phone>, <phone>"],
    ["+44 20 7946 0958 or +33 1 42 68 53 00", "<phone> or <phone>"],
    ["1) 415-555-2671 2) 030 901820", "1) <phone> 2) <phone>"],
    ["4242424242424242/12/27", "<card>/12/27"],
    ["+44 20 7946 0958/0959", "<phone>/0959"],
    ["born in 1990. 415-555-2671 is mine", "born in 1990. <phone> is mine"],
  ])("%s", (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it("takes a bare digit run for a phone only after a phone word", () => {
    expect(redactText("call me at 4155552671 tomorrow")).toBe("call me at <phone> tomorrow");
    expect(redactText("Phone: 07700900123")).toBe("Phone: <phone>");
    expect(redactText("my number is 442079460958.")).toBe("my number is <phone>.");
    expect(redactText('{"phone": 4155552671}')).toBe('{"phone": <phone>}');
    expect(redactText("order 4155552671, acct 0012345678")).toBe("order 4155552671, acct 0012345678");
    expect(redactText("call at 20240520 or 1715785200")).toBe("call at 20240520 or 1715785200");
    expect(redactText("item number 6086499569")).toBe("item number 6086499569");
    expect(redactText("Phone: 415-555-2671, order 6086499569")).toBe("Phone: <phone>, order 6086499569");
  });
});

describe("redaction corpus: long chains of digit groups", () => {
  it("finds a number wherever it sits in thousands of space-separated groups", () => {
    for (let before = 1000; before < 1100; before += 3) {
      const filler = "7 ".repeat(before);
      expect(redactText(`${filler}415-555-2671 7 7`)).toBe(`${filler}<phone> 7 7`);
      expect(redactText(`${filler}4242 4242 4242 4242 7`)).toBe(`${filler}<card> 7`);
      expect(redactText(`${filler}0151 23456789`)).toBe(`${filler}<phone>`);
      expect(redactText(`${filler}1.5 0.5`)).toBe(`${filler}1.5 0.5`);
    }
  });
});

describe("redaction corpus: JSON values", () => {
  it("scrubs cards and phones held as JSON numbers; amounts, counts and timestamps survive", () => {
    const value = JSON.parse(
      `{"card_number": 4242424242424242, "amex": 378282246310005, "visa13": 4222222222222,
        "contact": 442079460958, "us": 14155552671, "de": 4930901820,
        "amount": 1234.56, "cents": 123456, "count": 42, "zero": 0, "negative": -14155552671,
        "epoch_s": 1715785200, "epoch_ms": 1715785200009, "epoch_us": 1715785200000000,
        "order_id": 987654321, "big_order_id": 1234567890, "not_a_card": 4242424242424241}`,
    );
    expect(redactValue(value)).toEqual({
      card_number: "<card>",
      amex: "<card>",
      visa13: "<card>",
      contact: "<phone>",
      us: "<phone>",
      de: "<phone>",
      amount: 1234.56,
      cents: 123456,
      count: 42,
      zero: 0,
      negative: -14155552671,
      epoch_s: 1715785200,
      epoch_ms: 1715785200009,
      epoch_us: 1715785200000000,
      order_id: 987654321,
      big_order_id: 1234567890,
      not_a_card: 4242424242424241,
    });
  });

  it("reads a national number held under a phone-named key as a phone", () => {
    expect(redactValue({ phone: 4155552671, mobilePhone: "07700900123", order: 4155552671 })).toEqual({
      phone: "<phone>",
      mobilePhone: "<phone>",
      order: 4155552671,
    });
  });

  it("scrubs a card number too long for a double (its last digits are already lost) and bigints", () => {
    // 6205500000000000004 parses to 6205500000000000000: Luhn can no longer be checked.
    expect(redactValue(JSON.parse('{"card": 6205500000000000004}'))).toEqual({ card: "<card>" });
    expect(redactValue({ card: 6205500000000000004n, phone: 442079460958n, id: 12n })).toEqual({
      card: "<card>",
      phone: "<phone>",
      id: 12n,
    });
  });

  it("leaves every date and time in a record as it was", () => {
    const record = {
      ts: "2026-11-20T09:00:00Z",
      request: {
        messages: [
          { role: "system", content: "Current time: 2024-05-15 15:00:00 EST (Wednesday)." },
          { role: "user", content: "Book me on 2024-05-20 (11:00 AM), back 2024-05-22T18:30:00.000+02:00" },
        ],
      },
    };
    expect(redactValue(record)).toEqual(record);
  });
});

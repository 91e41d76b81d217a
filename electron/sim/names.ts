// Vocabulary for invented tenants: names, places and devices. Names deliberately include accents,
// apostrophes, commas and non-Latin scripts: real trails hold them, and the app must keep them intact.

export const FIRST_NAMES = [
  'Dana',
  'Lee',
  'Amir',
  'Sofía',
  'Jürgen',
  'Mei',
  'Olu',
  'Priya',
  'Noah',
  'Chloé',
  'Ivan',
  'Zoë',
  'Aisha',
  'Mateo',
  'Hannah',
  'Kenji',
  'Fatima',
  'Lukas',
  'Grace',
  'Tomás',
  'Yara',
  'Sven',
  'Nia',
  'Rafael',
  'Ingrid',
  'Kwame',
  'Elif',
  'Marta',
  'Declan',
  'Ananya',
  'Björn',
  'Léa',
  'Omar',
  'Ruth',
];

export const LAST_NAMES = [
  'Reyes',
  'Hoffmann',
  'Okafor',
  'Nguyen',
  'García',
  'Smith',
  'Kowalski',
  'Haddad',
  'Ito',
  'Brown',
  "O'Connor",
  'Müller',
  'Schäfer',
  'Johansson',
  'Patel',
  'Kim',
  'Rossi',
  'Dubois',
  'Mensah',
  'Yılmaz',
  'Andersen',
  'Novák',
  'Silva',
  'Cohen',
  'Walsh',
  'Fernández',
  'Nakamura',
  'Lindqvist',
  'Owusu',
  'Chen',
];

/** Customers that are businesses: commas, apostrophes, ampersands and scripts in one place. */
export const BUSINESS_CUSTOMERS = [
  'Café Zürich GmbH',
  "O'Brien & Sons, LLC",
  'Harbor View Dental, P.C.',
  '東京ラーメン Tokyo Ramen',
  'Ærø Design Studio',
  'The "Corner" Bakery',
  'Smith, Jones & Partners',
  'Αθηνά Yoga',
];

export interface Locale {
  timeZone: string;
  currency: string;
  namePatterns: readonly string[];
  words: readonly string[];
  zones: readonly string[];
  /** Centre of the service area, [longitude, latitude]. */
  centre: readonly [number, number];
  phonePrefix: string;
}

// Every zone here observes DST, so each simulated trail can cross a clock change.
export const LOCALES: readonly Locale[] = [
  {
    timeZone: 'America/New_York',
    currency: 'USD',
    namePatterns: ['{w} Cleaning Co.', '{w} Home Services', '{w} Maids, Inc.'],
    words: ['Sparkle', 'Bright Harbor', 'Evergreen', 'Blue Door', 'Fresh Start', 'Hudson'],
    zones: [
      'Brooklyn',
      'Queens',
      'Manhattan',
      'Jersey City',
      'Hoboken',
      'Bronx',
      'Staten Island',
      'Long Island City',
    ],
    centre: [-73.98, 40.73],
    phonePrefix: '+1 212 555',
  },
  {
    timeZone: 'America/Los_Angeles',
    currency: 'USD',
    namePatterns: ['{w} Cleaning', '{w} Facility Care', '{w} Home & Office'],
    words: ['Golden Coast', 'Sunset', 'Pacific', 'Canyon', 'Silver Lake', 'Mission'],
    zones: [
      'Santa Monica',
      'Pasadena',
      'Silver Lake',
      'Burbank',
      'Culver City',
      'Long Beach',
      'Glendale',
    ],
    centre: [-118.24, 34.05],
    phonePrefix: '+1 310 555',
  },
  {
    timeZone: 'Europe/Berlin',
    currency: 'EUR',
    namePatterns: ['{w} Gebäudereinigung GmbH', '{w} Reinigungsservice', 'Glanz & {w} KG'],
    words: ['Spree', 'Müller', 'Blitzblank', 'Sauber', 'Hauptstadt', 'Linden'],
    zones: [
      'Mitte',
      'Kreuzberg',
      'Prenzlauer Berg',
      'Charlottenburg',
      'Neukölln',
      'Friedrichshain',
      'Schöneberg',
    ],
    centre: [13.4, 52.52],
    phonePrefix: '+49 30 5550',
  },
  {
    timeZone: 'Australia/Sydney',
    currency: 'AUD',
    namePatterns: ['{w} Cleaning Services Pty Ltd', '{w} Cleaners', '{w} Property Care'],
    words: ['Harbour', 'Bondi Bright', 'Southern Cross', 'Wattle', 'Blue Gum', 'Coastal'],
    zones: ['Bondi', 'Parramatta', 'Chatswood', 'Surry Hills', 'Manly', 'Newtown', 'Randwick'],
    centre: [151.21, -33.87],
    phonePrefix: '+61 2 5550',
  },
];

export const DESKTOP_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
];

export const MOBILE_AGENTS = [
  'OtesseMobile/4.12.0 (iPhone; iOS 18.1; Scale/3.00)',
  'OtesseMobile/4.12.0 (Android 15; Pixel 8)',
  'OtesseMobile/4.11.2 (Android 14; SM-A546B)',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
];

/** User agents no staff member uses: only planted activity shows them. */
export const FOREIGN_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'python-requests/2.32.3',
  'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0',
];

export const STREETS = [
  'Main St',
  'Oak Ave',
  'Harbor Rd',
  'Linden Str.',
  'Queen St',
  'Elm Ct',
  'Park Lane',
];

/** Booking notes as people type them, including text that spreadsheets would take for formulas. */
export const NOTES = [
  'Gate code 4412, ring twice',
  'Dog in the yard — friendly',
  'Please use eco products only',
  'Key under the mat\nAlarm code given by phone',
  'Customer said "call first", thanks',
  '=HYPERLINK("http://example.com","portal")',
  '+1 extra hour for the oven',
  '-no shoes inside-',
  '@front desk: leave invoice',
  'Bitte klingeln, 3. OG links',
  '駐車場は裏にあります',
  '',
];

export const TEMPLATE_NAMES: readonly [string, 'email' | 'sms'][] = [
  ['Booking confirmation', 'email'],
  ['Appointment reminder (24h)', 'sms'],
  ['Invoice', 'email'],
  ['Payment receipt', 'email'],
  ['Cleaner on the way', 'sms'],
  ['Review request', 'email'],
  ['Cancellation notice', 'email'],
  ['Reschedule confirmation', 'sms'],
];

export const INTEGRATIONS = ['stripe', 'quickbooks', 'google_calendar', 'mailchimp', 'zapier'];

export const BRAND_COLOURS = [
  '#1a73e8',
  '#0b8043',
  '#d93025',
  '#f9ab00',
  '#6f42c1',
  '#00897b',
  '#37474f',
];

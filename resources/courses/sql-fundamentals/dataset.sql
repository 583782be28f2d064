-- The bookshop: the sample database of the SQL Fundamentals course.
-- Every "Try it" run and every SQL exercise loads this file into a fresh in-memory SQLite
-- database, so a learner's INSERT, UPDATE or DROP TABLE never outlives the run.
-- The lessons print results computed from exactly these rows; the content test checks them.
--
-- Prices are REAL (floating point) on purpose: lessons 6 and 11 show why `18.5 * 0.9` prints
-- 16.650000000000002 and teach ROUND and integer cents as the remedies.

CREATE TABLE authors (
  id      INTEGER PRIMARY KEY,
  name    TEXT NOT NULL,
  country TEXT
);

CREATE TABLE books (
  id             INTEGER PRIMARY KEY,
  title          TEXT    NOT NULL,
  author_id      INTEGER REFERENCES authors (id),
  genre          TEXT,
  price          REAL    NOT NULL CHECK (price >= 0),
  published_year INTEGER,
  stock          INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0)
);

CREATE TABLE customers (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  city  TEXT
);

CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  book_id     INTEGER NOT NULL REFERENCES books (id),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  order_date  TEXT    NOT NULL
);

INSERT INTO authors (id, name, country) VALUES
  (1, 'Maya Chen',    'Canada'),
  (2, 'Tomás Ortega', 'Spain'),
  (3, 'Grace Okafor', 'Nigeria'),
  (4, 'Lena Fischer', 'Germany'),
  (5, 'Sam Patel',    'UK');

INSERT INTO books (id, title, author_id, genre, price, published_year, stock) VALUES
  (1, 'The Silent Orchard', 1,    'Fiction', 12.99, 2018, 14),
  (2, 'Counting Stars',     2,    'Science', 18.50, 2015, 3),
  (3, 'Orchard Kitchen',    1,    'Cooking', 24.00, 2021, 0),
  (4, 'River of Glass',     3,    'Fiction', 9.99,  2009, 22),
  (5, 'The Quiet Atom',     2,    'Science', 21.00, 2020, 7),
  (6, 'Night Trains',       4,    'Travel',  15.00, 2012, 5),
  (7, 'Letters Unsigned',   NULL, 'Fiction', 8.50,  1999, 2);

INSERT INTO customers (id, name, email, city) VALUES
  (1, 'Ana Silva',    'ana.silva@example.com',  'Lisbon'),
  (2, 'Ben Carter',   'ben.carter@example.com', 'Leeds'),
  (3, 'Chloe Martin', 'chloe@martin.example',   'Lyon'),
  (4, 'Dev Rao',      'dev.rao@example.com',    'Leeds');

INSERT INTO orders (id, customer_id, book_id, quantity, order_date) VALUES
  (1, 1, 1, 2, '2023-11-04'),
  (2, 2, 2, 1, '2023-12-12'),
  (3, 3, 4, 1, '2024-01-09'),
  (4, 2, 6, 3, '2024-02-02'),
  (5, 1, 5, 1, '2024-02-20'),
  (6, 3, 1, 1, '2024-03-05');

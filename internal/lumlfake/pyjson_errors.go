package lumlfake

import "strings"

// pythonJSONError finds the first error Python's json.loads (its C scanner, Python 3.13)
// reports for text, as FastAPI puts it in a json_invalid error: the message, which becomes
// ctx.error, and the position in characters, which becomes the second element of loc. ok is
// false when Python would decode text.
func pythonJSONError(text string) (msg string, pos int, ok bool) {
	p := &pyScanner{s: []rune(text)}
	defer func() {
		if r := recover(); r != nil {
			e, isErr := r.(pyJSONErr)
			if !isErr {
				panic(r)
			}
			msg, pos, ok = e.msg, e.pos, true
		}
	}()
	end := p.value(p.ws(0))
	if end = p.ws(end); end != len(p.s) {
		return "Extra data", end, true
	}
	return "", 0, false
}

type pyJSONErr struct {
	msg string
	pos int
}

// pyScanner follows the C scanner's steps; fail stops the scan at the first error, which
// pythonJSONError recovers.
type pyScanner struct{ s []rune }

func (p *pyScanner) fail(msg string, pos int) { panic(pyJSONErr{msg, pos}) }

func (p *pyScanner) at(i int) rune {
	if i < len(p.s) {
		return p.s[i]
	}
	return -1
}

func (p *pyScanner) ws(i int) int {
	for strings.ContainsRune(" \t\n\r", p.at(i)) {
		i++
	}
	return i
}

// value scans the value at i and returns the index after it; where none starts, Python's
// decoder says "Expecting value" at i.
func (p *pyScanner) value(i int) int {
	switch p.at(i) {
	case '"':
		return p.str(i + 1)
	case '{':
		return p.object(i + 1)
	case '[':
		return p.array(i + 1)
	}
	for _, lit := range []string{"null", "true", "false", "NaN", "Infinity", "-Infinity"} {
		if p.hasPrefix(i, lit) {
			return i + len(lit)
		}
	}
	return p.number(i)
}

func (p *pyScanner) hasPrefix(i int, lit string) bool {
	for j, r := range lit { // lit is ASCII: byte and rune indices agree
		if p.at(i+j) != r {
			return false
		}
	}
	return true
}

func (p *pyScanner) number(i int) int {
	start := i
	if p.at(i) == '-' {
		i++
	}
	digits := func(i int) int {
		for p.at(i) >= '0' && p.at(i) <= '9' {
			i++
		}
		return i
	}
	switch c := p.at(i); {
	case c >= '1' && c <= '9':
		i = digits(i)
	case c == '0':
		i++
	default:
		p.fail("Expecting value", start)
	}
	if p.at(i) == '.' && p.at(i+1) >= '0' && p.at(i+1) <= '9' {
		i = digits(i + 1)
	}
	if c := p.at(i); c == 'e' || c == 'E' {
		j := i + 1
		if p.at(j) == '+' || p.at(j) == '-' {
			j++
		}
		if k := digits(j); k > j {
			i = k
		}
	}
	return i
}

// str scans a string whose opening quote is at i-1.
func (p *pyScanner) str(i int) int {
	begin := i - 1
	for {
		switch c := p.at(i); {
		case i >= len(p.s):
			p.fail("Unterminated string starting at", begin)
		case c == '"':
			return i + 1
		case c < 0x20:
			p.fail("Invalid control character at", i)
		case c == '\\':
			i++
			switch e := p.at(i); {
			case i >= len(p.s):
				p.fail("Unterminated string starting at", begin)
			case e == 'u':
				if i+5 >= len(p.s) || !isHex(string(p.s[i+1:i+5])) {
					p.fail("Invalid \\uXXXX escape", i)
				}
				i += 4
			case !strings.ContainsRune(`"\/bfnrt`, e):
				p.fail("Invalid \\escape", i-1)
			}
		}
		i++
	}
}

// object scans the members of an object whose brace is at i-1.
func (p *pyScanner) object(i int) int {
	i = p.ws(i)
	if p.at(i) == '}' {
		return i + 1
	}
	for {
		if p.at(i) != '"' {
			p.fail("Expecting property name enclosed in double quotes", i)
		}
		i = p.ws(p.str(i + 1))
		if p.at(i) != ':' {
			p.fail("Expecting ':' delimiter", i)
		}
		i = p.ws(p.value(p.ws(i + 1)))
		if p.at(i) == '}' {
			return i + 1
		}
		if p.at(i) != ',' {
			p.fail("Expecting ',' delimiter", i)
		}
		comma := i
		if i = p.ws(i + 1); p.at(i) == '}' {
			p.fail("Illegal trailing comma before end of object", comma)
		}
	}
}

// array scans the elements of an array whose bracket is at i-1.
func (p *pyScanner) array(i int) int {
	i = p.ws(i)
	if p.at(i) == ']' {
		return i + 1
	}
	for {
		i = p.ws(p.value(i))
		if p.at(i) == ']' {
			return i + 1
		}
		if p.at(i) != ',' {
			p.fail("Expecting ',' delimiter", i)
		}
		comma := i
		if i = p.ws(i + 1); p.at(i) == ']' {
			p.fail("Illegal trailing comma before end of array", comma)
		}
	}
}
